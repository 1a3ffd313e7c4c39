import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDeployActivities } from '../activities/deploy';
import { systemClock } from '../activities/deps';
import { parsePipelineParams, runKey } from '../contract';
import { LocalArtifactStore } from '../storage/localArtifactStore';

const VERSIONS = 200;
/** Deploys timed at each end: the first versions of a model, and its last ones. */
const WINDOW = 10;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): number => Math.round(x * 100) / 100;

/**
 * The deploy activity (claim a version, store the model, promote) run 200 times on one model in a
 * local artifact store, as successive runs would: the median time of the first 10 deploys against
 * the last 10 says whether deploy time grows with the model's version count.
 */
export async function benchDeploy(): Promise<Record<string, unknown>> {
  const root = await mkdtemp(join(tmpdir(), 'mlp-bench-deploy-'));
  const store = new LocalArtifactStore(root);
  const { deploy } = createDeployActivities({ store, clock: systemClock });
  const model = JSON.stringify({ format: 'ml-pipeline-model/1', trees: [] });
  const params = parsePipelineParams({ pipeline: 'bench-deploy', dataset: { source: 'iris.csv', target: 'species' }, model: { type: 'logistic_regression', name: 'bench-deploy' }, deploy: { metric: 'accuracy', threshold: 0.5 } });
  try {
    const times: number[] = [];
    for (let i = 0; i < VERSIONS; i++) {
      const run = { pipeline: 'bench-deploy', workflowId: 'ml-bench-deploy', runId: randomUUID() };
      const ref = await store.put(runKey(run, 'model', 'model.json'), model);
      const started = performance.now();
      await deploy({ run, modelName: 'bench-deploy', model: ref, params, datasetFingerprint: 'x', metrics: { accuracy: 0.9 } });
      times.push(performance.now() - started);
    }
    return {
      versions: VERSIONS,
      deployMsP50: { firstVersions: ms(median(times.slice(0, WINDOW))), lastVersions: ms(median(times.slice(-WINDOW))) },
      deployMsMax: { firstVersions: ms(Math.max(...times.slice(0, WINDOW))), lastVersions: ms(Math.max(...times.slice(-WINDOW))) },
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
