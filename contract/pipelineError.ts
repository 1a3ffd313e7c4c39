import { FAILURE_SPECS, type FailureType, type FixedFailureType, type PerErrorFailureType } from './failureTypes';

/**
 * The base of our own errors, in every layer. Each declares its failure type; whether a retry can
 * help is what the taxonomy says of that type, or, where the taxonomy leaves it to the case, what
 * the error is given. The activities' runStep and the API's error filter read these two fields.
 */
export abstract class PipelineError extends Error {
  readonly failureType: FailureType;
  readonly retryable: boolean;

  protected constructor(failureType: FixedFailureType, message: string, options?: ErrorOptions);
  protected constructor(failureType: PerErrorFailureType, message: string, options: ErrorOptions & { readonly retryable: boolean });
  protected constructor(failureType: FailureType, message: string, options?: ErrorOptions & { readonly retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.failureType = failureType;
    const declared = FAILURE_SPECS[failureType].retryable;
    this.retryable = declared === 'per error' ? options?.retryable === true : declared;
  }
}
