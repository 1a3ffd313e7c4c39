import { S3Client } from '@aws-sdk/client-s3';

/** How to reach S3. Credentials come from the SDK's own chain (env, profile, IMDS) unless given. */
export interface S3Settings {
  readonly region?: string;
  /** An S3-compatible server (MinIO, SeaweedFS); AWS itself when omitted. */
  readonly endpoint?: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`, as most S3-compatible servers need. */
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A connection attempt that takes longer than this is treated as a failure the SDK may retry. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A socket silent for this long is dropped, so a hung server fails the call instead of hanging it. */
const SOCKET_IDLE_TIMEOUT_MS = 60_000;

export function createS3Client(settings: S3Settings): S3Client {
  // Node 20 is our supported floor (CI runs it): the SDK's "upgrade to Node 22" notice at every start
  // of a worker or the API tells operators nothing they can act on here. This is the SDK's own switch
  // (read when a client is created); setting it to false brings the notice back.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    // Every write names its own checksum (SHA-256 of a buffer body, per part for multipart), which
    // the SDK then sends as a plain header. The SDK's default (WHEN_SUPPORTED) would also add a CRC
    // to any stream body as an aws-chunked trailer, which some S3-compatible servers store
    // corrupted; we never hand it a stream body, and WHEN_REQUIRED keeps it from adding one anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // Responses are checked when a read asks for it (ChecksumMode ENABLED), which our reads do.
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: SOCKET_IDLE_TIMEOUT_MS },
  });
}
