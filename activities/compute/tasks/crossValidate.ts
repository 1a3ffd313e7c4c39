import { type MetricName, type ModelSpec } from '../../../contract/params';
import { decodeAnySplit } from '../../../ml/data/binnedCodec';
import { crossValidate, type CrossValidation } from '../../../ml/tuning/crossValidate';
import { type ComputeTask } from '../protocol';

export interface CrossValidateTaskInput {
  /** One configuration's model: the run's model with the configuration's hyperparameters. */
  readonly model: ModelSpec;
  /** The encoded (preprocessed) training split. */
  readonly train: Uint8Array;
  readonly folds: number;
  readonly seed: number;
  readonly metric: MetricName;
  /** Successive halving's resource: training rows the cross-validation samples; all when undefined. */
  readonly rows?: number;
}

export interface CrossValidateTaskOutput extends CrossValidation {
  readonly seconds: number;
}

/** Decodes the training split once and cross-validates one configuration on it, fold by fold. */
export const crossValidateTask: ComputeTask<CrossValidateTaskInput, CrossValidateTaskOutput> = async (input, channel) => {
  const started = process.hrtime.bigint();
  channel.progress({ fraction: 0, message: 'decoding the training split' });
  const { x, targets } = decodeAnySplit(input.train);
  const cv = await crossValidate(input.model, x, targets, input, (done, total) => channel.progress({ fraction: done / total, message: `fold ${done}/${total}` }));
  return { value: { ...cv, seconds: Number(process.hrtime.bigint() - started) / 1e9 } };
};
