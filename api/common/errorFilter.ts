import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { type Request, type Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { type ZodError } from 'zod';
import { InvalidInputError, PipelineError, toParamIssues, type FailureType, type ParamIssue } from '../../contract';
import { JSON_LOGGER } from '../tokens';
import { ApiError } from './errors';
import { invalidArgumentOf } from './invalidArgument';
import { type JsonLogger } from './jsonLogger';
import { requestIdOf } from './requestId';

export interface ErrorBody {
  readonly error: { status: number; code: string; message: string; details?: unknown; requestId: string };
}

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const describeIssues = (issues: readonly ParamIssue[]): string => issues.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; ');

/**
 * Our errors that a request can cause, by failure type. Any other PipelineError reaching the API is
 * a fault on our side (a corrupt stored model, a store race), so a 500 like any other.
 */
const CLIENT_FAILURES: Partial<Record<FailureType, Omit<Mapped, 'message'>>> = {
  ArtifactNotFoundError: { status: 404, code: 'artifact_not_found' },
  InvalidArtifactKeyError: { status: 400, code: 'invalid_artifact_path' },
  // Rows sent for a prediction that the model's transform or the model cannot take.
  PreprocessError: { status: 400, code: 'invalid_rows' },
  DataFormatError: { status: 400, code: 'invalid_rows' },
  FeatureMismatchError: { status: 400, code: 'invalid_rows' },
};

function pipelineError(error: PipelineError): Mapped | undefined {
  if (error instanceof InvalidInputError) {
    return { status: 400, code: 'validation_failed', message: `invalid request: ${describeIssues(error.issues)}`, details: error.issues };
  }
  const answer = CLIENT_FAILURES[error.failureType];
  return answer && { ...answer, message: error.message };
}

/** Errors thrown by body-parser carry an HTTP status and a type (too large, bad JSON). */
function bodyParserError(error: unknown): Mapped | undefined {
  const e = error as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof e?.status !== 'number' || typeof e.type !== 'string' || e.status < 400 || e.status >= 500) return undefined;
  return { status: e.status, code: e.type.replace(/\./g, '_'), message: String(e.message) };
}

const INTERNAL: Mapped = { status: 500, code: 'internal_error', message: 'internal error' };

function map(error: unknown): Mapped {
  if (error instanceof ZodValidationException) {
    const issues = toParamIssues(error.getZodError() as ZodError);
    return { status: 400, code: 'validation_failed', message: `invalid request: ${describeIssues(issues)}`, details: issues };
  }
  if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message, details: error.details };
  if (error instanceof WorkflowNotFoundError) return { status: 404, code: 'run_not_found', message: `run not found: ${error.workflowId}` };
  if (error instanceof ScheduleNotFoundError) return { status: 404, code: 'schedule_not_found', message: `schedule not found: ${error.scheduleId}` };
  if (error instanceof ScheduleAlreadyRunning) return { status: 409, code: 'schedule_exists', message: `schedule already exists: ${error.scheduleId}` };
  if (error instanceof WorkflowExecutionAlreadyStartedError) return { status: 409, code: 'run_already_active', message: error.message };
  if (error instanceof PipelineError) return pipelineError(error) ?? INTERNAL;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: error.name.replace(/Exception$/, '').replace(/[A-Z]/g, (c, i: number) => `${i ? '_' : ''}${c.toLowerCase()}`), message: error.message };
  }
  const invalid = invalidArgumentOf(error);
  if (invalid !== undefined) return { status: 400, code: 'invalid_argument', message: `Temporal refused the request: ${invalid}` };
  return bodyParserError(error) ?? INTERNAL;
}

/** The one place errors become responses: every error has the same shape and carries the request id. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(JSON_LOGGER) private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const mapped = map(error);
    const requestId = requestIdOf(req);
    if (mapped.status >= 500) {
      this.logger.error('request failed', { requestId, path: req.path, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
    const body: ErrorBody = { error: { ...mapped, requestId } };
    res.status(mapped.status).json(body);
  }
}
