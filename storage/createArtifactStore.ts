import { resolve } from 'node:path';
import { type S3Client } from '@aws-sdk/client-s3';
import { type ArtifactStore } from './artifactStore';
import { LocalArtifactStore } from './localArtifactStore';
import { isS3Uri, parseS3Uri } from './s3/uri';
import { S3ArtifactStore, type S3StoreLocation, type S3StoreOptions } from './s3ArtifactStore';

/** Where the artifact store lives: a folder, or a bucket and key prefix. */
export type ArtifactStoreLocation = ({ readonly kind: 'local'; readonly root: string }) | ({ readonly kind: 's3' } & S3StoreLocation);

/**
 * Reads `ARTIFACT_ROOT`: `s3://bucket/prefix` selects S3 (throws InvalidS3UriError on a bad
 * bucket name), anything else is a folder, made absolute.
 */
export function parseArtifactRoot(value: string): ArtifactStoreLocation {
  if (!isS3Uri(value)) return { kind: 'local', root: resolve(value) };
  const { bucket, key } = parseS3Uri(value, { allowEmptyKey: true });
  // Keys are joined as `<prefix>/<key>`: surplus slashes would make empty path segments.
  return { kind: 's3', bucket, prefix: key.split('/').filter(Boolean).join('/') };
}

/** The printable form of a location: the folder, or `s3://bucket/prefix`. */
export function describeArtifactRoot(location: ArtifactStoreLocation): string {
  return location.kind === 'local' ? location.root : `s3://${location.bucket}/${location.prefix}`;
}

/** The store `ARTIFACT_ROOT` names; `s3` is used only for an S3 location. */
export function createArtifactStore(location: ArtifactStoreLocation, s3: S3Client, options: S3StoreOptions = {}): ArtifactStore {
  return location.kind === 'local' ? new LocalArtifactStore(location.root) : new S3ArtifactStore(s3, location, options);
}
