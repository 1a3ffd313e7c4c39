import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { saveToFile, type Measured } from '../../storage/streams';
import { isNotFound, isPermanentClientError } from '../../storage/s3/errors';
import { type S3ObjectRef } from '../../storage/s3/uri';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** An s3:// source or marker could not be read. Not retryable when asking again cannot help (absent, forbidden, too big). */
export class S3SourceError extends PipelineError {
  override readonly name = 'S3SourceError';
  constructor(message: string, retryable: boolean) {
    super(FAILURE_TYPES.S3SourceError, message, { retryable });
  }
}

const uriOf = (ref: S3ObjectRef): string => `s3://${ref.bucket}/${ref.key}`;

/** Absent and forbidden are final answers; anything else (network, 5xx) is left for the activity retry. */
function readFailure(ref: S3ObjectRef, error: unknown): unknown {
  if (isNotFound(error)) return new S3SourceError(`no object at ${uriOf(ref)}`, false);
  if (isPermanentClientError(error)) return new S3SourceError(`${uriOf(ref)} cannot be read: ${(error as Error).name} ${(error as Error).message}`, false);
  return error;
}

/** Streams an object into `path`, refusing more than `maxBytes`; the object's checksum is verified where it has one. */
export async function downloadObject(client: S3Client, ref: S3ObjectRef, path: string, maxBytes: number, signal?: AbortSignal): Promise<Measured> {
  let response;
  try {
    response = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ChecksumMode: 'ENABLED' }), { abortSignal: signal });
  } catch (error) {
    throw readFailure(ref, error);
  }
  const body = response.Body as (AsyncIterable<Uint8Array> & { destroy(): void }) | undefined;
  if (body === undefined) throw new S3SourceError(`${uriOf(ref)} answered without a body`, true);
  if ((response.ContentLength ?? 0) > maxBytes) {
    body.destroy();
    throw new S3SourceError(`${uriOf(ref)} is ${response.ContentLength} bytes, more than the ${maxBytes} allowed`, false);
  }
  return saveToFile(body, path, { maxBytes, tooBig: () => new S3SourceError(`${uriOf(ref)} exceeds the ${maxBytes} bytes allowed`, false) });
}

/** When the object was last written; undefined when there is no such object. */
export async function objectLastModified(client: S3Client, ref: S3ObjectRef, signal?: AbortSignal): Promise<Date | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: signal });
    // Every S3 implementation sends Last-Modified; the epoch only keeps a missing one from passing a newerThan check.
    return head.LastModified ?? new Date(0);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw readFailure(ref, error);
  }
}
