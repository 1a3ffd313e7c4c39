import { type ArtifactStore } from '../activities/adapters/artifactStore';
import { LocalArtifactStore } from '../activities/adapters/localArtifactStore';
import { type ApiConfig } from './config';

/** The same artifact store the workers write to. */
export function createArtifactStoreFor(config: ApiConfig): ArtifactStore {
  return new LocalArtifactStore(config.artifactRoot);
}
