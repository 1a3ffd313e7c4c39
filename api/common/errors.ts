/** An error the API answers with its own status and a stable code. */
export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details?: unknown;
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not_found';
}

export class RunAlreadyActiveError extends ApiError {
  override readonly name = 'RunAlreadyActiveError';
  readonly status = 409;
  readonly code = 'run_already_active';
  override readonly details: { workflowId: string; runId?: string };
  constructor(pipeline: string, workflowId: string, runId?: string) {
    super(`pipeline ${pipeline} already has an active run: ${workflowId}${runId ? ` (run ${runId})` : ''}`);
    this.details = { workflowId, runId };
  }
}

export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly code = 'conflict';
}

export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  readonly status = 400;
  readonly code = 'bad_request';
}
