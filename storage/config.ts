import { z } from 'zod';
import { parseArtifactRoot, type ArtifactStoreLocation } from './createArtifactStore';
import { type S3Settings } from './s3/client';

/** An empty variable (`FOO=` in an env file) counts as unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const endpointUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL, e.g. http://127.0.0.1:9000' });

/**
 * The environment variables of the artifact store and of S3 access, shared by every process that
 * opens the store. Credentials are not here: the AWS SDK reads its standard variables
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, ...) itself.
 */
export const STORAGE_ENV = {
  ARTIFACT_ROOT: z
    .string()
    .min(1)
    .default('.data/artifacts')
    .transform((value, ctx) => {
      try {
        return parseArtifactRoot(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  // The AWS SDK's own endpoint variables: the S3-specific one wins.
  AWS_ENDPOINT_URL_S3: optional(endpointUrl),
  AWS_ENDPOINT_URL: optional(endpointUrl),
  AWS_REGION: optional(z.string().min(1)),
  AWS_DEFAULT_REGION: optional(z.string().min(1)),
  S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false'], { message: 'expected true or false' })),
  S3_PART_SIZE_MB: z.coerce.number().int().min(5).max(5120).default(8),
};

type StorageEnv = z.output<z.ZodObject<typeof STORAGE_ENV>>;

export interface StorageConfig {
  readonly artifactStore: ArtifactStoreLocation;
  readonly s3: S3Settings;
  /** Multipart part size of S3 uploads: memory per upload is about twice this. */
  readonly s3PartSizeBytes: number;
}

export function storageConfig(e: StorageEnv): StorageConfig {
  const endpoint = e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL;
  return {
    artifactStore: e.ARTIFACT_ROOT,
    s3: {
      endpoint,
      // S3-compatible servers ignore the region, but requests must be signed for one.
      region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? (endpoint === undefined ? undefined : 'us-east-1'),
      // Bucket-in-hostname addressing needs DNS for every bucket, which a self-hosted endpoint rarely has.
      forcePathStyle: e.S3_FORCE_PATH_STYLE === undefined ? endpoint !== undefined : e.S3_FORCE_PATH_STYLE === 'true',
    },
    s3PartSizeBytes: e.S3_PART_SIZE_MB * 1024 * 1024,
  };
}
