/** The HTTP status of an S3 SDK error, if the server answered at all. */
function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** GetObject says NoSuchKey, HeadObject a bare 404 NotFound: both mean the object is absent. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404 || (error as Error | undefined)?.name === 'NoSuchKey';
}

/** A conditional write (If-None-Match / If-Match) lost: the object is not in the state we required. */
export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412 || (error as Error | undefined)?.name === 'PreconditionFailed';
}

/**
 * AWS answers 409 ConditionalRequestConflict while another conditional write to the same key is in
 * flight; its guidance is to retry the request.
 */
export function isConditionalConflict(error: unknown): boolean {
  return statusOf(error) === 409 && (error as Error | undefined)?.name === 'ConditionalRequestConflict';
}

/** Statuses where asking again cannot help: the request itself or our rights are wrong. */
export function isPermanentClientError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
