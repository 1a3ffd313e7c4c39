import { type ArtifactStore } from '../storage/artifactStore';
import { createArtifactStore } from '../storage/createArtifactStore';
import { createS3Client } from '../storage/s3/client';
import { type ApiConfig } from './config';

/** The same artifact store the workers write to: a folder, or S3 when ARTIFACT_ROOT is s3://. */
export function createArtifactStoreFor(config: ApiConfig): ArtifactStore {
  return createArtifactStore(config.artifactStore, createS3Client(config.s3), { partSizeBytes: config.s3PartSizeBytes });
}
