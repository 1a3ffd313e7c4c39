import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ActivityDeps } from '../../activities';
import { AllowList } from '../../activities/adapters/addressPolicy';
import { type ArtifactStore } from '../../storage/artifactStore';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { WebhookNotifier } from '../../activities/adapters/notifier';
import { createS3Client } from '../../storage/s3/client';
import { type HttpPolicy } from '../../activities/adapters/safeHttp';
import { systemClock } from '../../activities/deps';
import { loadWorkerConfig, type WorkerConfig } from '../../worker/config';

export const EXAMPLES = resolve(__dirname, '../../examples');

/** A scratch folder with a copy of the example data as data root and an empty artifact root. */
export interface Sandbox {
  readonly dir: string;
  readonly dataRoot: string;
  readonly artifactRoot: string;
  readonly store: LocalArtifactStore;
  remove(): Promise<void>;
}

export async function createSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'mlp-test-'));
  const dataRoot = join(dir, 'data');
  const artifactRoot = join(dir, 'artifacts');
  await cp(join(EXAMPLES, 'data'), dataRoot, { recursive: true });
  return { dir, dataRoot, artifactRoot, store: new LocalArtifactStore(artifactRoot), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Test servers listen on 127.0.0.1, a loopback address that sources and webhooks may reach only when allowed. */
export const TEST_HTTP: HttpPolicy = { timeoutMs: 5_000, maxBytes: 50 * 1024 * 1024, allow: AllowList.parse('127.0.0.1') };

/** Tests reach S3 only through a server they start (test/helpers/s3Server.ts); by default a closed local port. */
const NO_S3 = createS3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials: { accessKeyId: 'none', secretAccessKey: 'none' } });

export function testDeps(sandbox: Sandbox, overrides: Partial<ActivityDeps> & { store?: ArtifactStore } = {}): ActivityDeps {
  return {
    store: sandbox.store,
    dataRoot: sandbox.dataRoot,
    notifier: new WebhookNotifier(() => undefined, TEST_HTTP),
    clock: systemClock,
    http: TEST_HTTP,
    s3: NO_S3,
    progressIntervalMs: 100,
    ...overrides,
  };
}

export function testConfig(sandbox: Sandbox, env: NodeJS.ProcessEnv = {}): WorkerConfig {
  return loadWorkerConfig({ ARTIFACT_ROOT: sandbox.artifactRoot, DATA_ROOT: sandbox.dataRoot, SHUTDOWN_GRACE_MS: '1000', ...env });
}

export async function readExample(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(EXAMPLES, name), 'utf8')) as Record<string, unknown>;
}
