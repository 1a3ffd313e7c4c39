import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

/** An object in a bucket, as named by an `s3://bucket/key` URI. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
}

/** A malformed `s3://` URI: asking again cannot help. */
export class InvalidS3UriError extends PipelineError {
  override readonly name = 'InvalidS3UriError';
  constructor(
    readonly uri: string,
    reason: string,
  ) {
    super(FAILURE_TYPES.InvalidS3UriError, `invalid S3 URI ${JSON.stringify(uri)}: ${reason}`);
  }
}

// S3's bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Uri(source: string): boolean {
  return /^s3:\/\//i.test(source);
}

/**
 * Splits `s3://bucket/key` into bucket and key. The key is taken verbatim (S3 keys are opaque
 * strings); `allowEmptyKey` admits `s3://bucket` and `s3://bucket/` (a store root).
 */
export function parseS3Uri(uri: string, options: { allowEmptyKey?: boolean } = {}): S3ObjectRef {
  if (!isS3Uri(uri)) throw new InvalidS3UriError(uri, 'expected s3://bucket/key');
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) throw new InvalidS3UriError(uri, `"${bucket}" is not a valid bucket name`);
  if (key === '' && !options.allowEmptyKey) throw new InvalidS3UriError(uri, 'no object key');
  if (key.length > 1024 || key.includes('\0')) throw new InvalidS3UriError(uri, 'the key is longer than 1024 characters or contains NUL');
  return { bucket, key };
}
