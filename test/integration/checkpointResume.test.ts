import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, test } from 'node:test';
import { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import { type WorkflowHandle } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type CheckpointRef, type TrainShardInput, type TrainShardResult } from '../../activities';
import { checkpointKey } from '../../activities/checkpoints';
import { pendingSteps, type PendingStepView } from '../../api/runs/pendingSteps';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, runKey, TASK_QUEUES, type PipelineParamsInput, type PipelineResult, type RunRef } from '../../contract';
import { decodeBinnedSplit } from '../../ml/data/binnedCodec';
import { loadModel, RandomForestModel, representativeMatrix } from '../../ml/models';
import { startDevServer } from '../../launch/devServer';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { createSandbox, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows } from '../helpers/temporal';
import { createWorkers } from '../../worker/workers';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';
import { twoClassCsv } from '../helpers/syntheticCsv';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let workerEnv: NodeJS.ProcessEnv;
const running: WorkerProcess[] = [];

interface TrainDetails {
  readonly message?: string;
  readonly checkpoint?: { readonly key: string; readonly trees: number };
  readonly resumedFrom?: number;
}

/** Trees of the sharded forest: each shard long enough that its checkpointed heartbeats (throttled by the SDK) reach the server before it ends, even on an idle machine. */
const SHARD_TREES = 1200;

const syntheticCsv = (rows: number, features: number): string => twoClassCsv(rows, features, 23, (x) => x[0] - 0.7 * x[3] + 0.4 * x[5]);

const params = (pipeline: string, nTrees = 600, shards = 1): PipelineParamsInput => ({
  pipeline,
  dataset: { source: 'synthetic.csv', target: 'label' },
  model: { type: 'random_forest_classifier', hyperparameters: { nTrees, seed: 99, shards } },
  deploy: { metric: 'accuracy', threshold: 0.5 },
  timeouts: { train: { heartbeatSeconds: 3 } },
  // The test compares predictions on the stored test split after the run.
  keepIntermediates: true,
});

const start = async (): Promise<WorkerProcess> => {
  const w = await spawnWorker(workerEnv);
  running.push(w);
  return w;
};

/** A pending activity of the train step (the training, or one of its shards) as the server records it, once `done` holds for it (bounded). */
async function pendingTrain(handle: WorkflowHandle, done: (p: PendingStepView) => boolean, timeoutMs = 120_000): Promise<PendingStepView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const trains = (await pendingSteps(env.client, await handle.describe())).filter((p) => p.step === 'train');
    const match = trains.find(done);
    if (match) return match;
    if (Date.now() > deadline) assert.fail(`train never matched; last: ${JSON.stringify(trains)}\n${running.map((w) => w.output()).join('\n')}`);
    await sleep(200);
  }
}

const details = (p: PendingStepView) => (p.heartbeat ?? {}) as TrainDetails;

const modelOf = async (run: RunRef) => decodeModelArtifact(await sandbox.store.get(runKey(run, 'model', 'model.json')));
const testRows = async (run: RunRef) => representativeMatrix(decodeBinnedSplit(await sandbox.store.get(runKey(run, 'preprocessed', 'test.bin'))).x);

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await Promise.all([writeFile(bundlePath, bundle.code), writeFile(join(sandbox.dataRoot, 'synthetic.csv'), syntheticCsv(30_000, 8))]);
  workerEnv = {
    TEMPORAL_ADDRESS: env.address,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    PROGRESS_INTERVAL_MS: '200',
    CHECKPOINT_EVERY_TREES: '50',
    LOG_LEVEL: 'WARN',
  };
});
/** Workers a test left running (it failed before stopping them) would take the next test's tasks. */
const killLeftovers = async () => {
  const left = running.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  for (const w of left) w.child.kill('SIGKILL');
  await Promise.all(left.map((w) => w.exited()));
};
afterEach(killLeftovers);
after(async () => {
  await killLeftovers();
  await env?.teardown();
  await sandbox?.remove();
});

describe('checkpointed training', () => {
  test('a worker killed half-way through a forest: the retry resumes from the checkpoint and the model predicts exactly as an uninterrupted one', async (t) => {
    const { handle, runId } = await startPipelineRun(env.client, parsePipelineParams(params('resumed')));
    const first = await start();
    const checkpointed = await pendingTrain(handle, (p) => (details(p).checkpoint?.trees ?? 0) >= 150);
    const atKill = details(checkpointed).checkpoint!.trees;
    assert.ok(atKill < 600, 'killed before the forest was done');
    first.child.kill('SIGKILL');
    await first.exited();

    const second = await start();
    // Until attempt 2 heartbeats, the server still holds attempt 1's details (resumedFrom 0).
    const resumed = await pendingTrain(handle, (p) => p.attempt === 2 && (details(p).resumedFrom ?? 0) > 0 && /^\d+\/600$/.test(details(p).message ?? ''));
    const resumedFrom = details(resumed).resumedFrom!;
    t.diagnostic(`killed with a checkpoint of ${atKill} trees; attempt 2 resumed from ${resumedFrom}`);
    assert.ok(resumedFrom >= atKill, `attempt 2 resumed from ${resumedFrom}, the checkpoint had ${atKill}`);
    assert.ok(Number(details(resumed).message!.split('/')[0]) > resumedFrom, 'it grows only the trees after the checkpoint');

    const result = (await handle.result().catch((e: unknown) => assert.fail(`${String(e)}\n${second.output()}`))) as PipelineResult;
    assert.equal(result.outcome, 'deployed');
    assert.equal(result.steps.find((s) => s.name === 'train')?.attempt, 2);

    // Nothing is killed here: a loose heartbeat timeout keeps a loaded machine from retrying it.
    const { handle: plain, runId: plainRunId } = await startPipelineRun(env.client, parsePipelineParams({ ...params('uninterrupted'), timeouts: { train: { heartbeatSeconds: 60 } } }));
    const reference = (await plain.result()) as PipelineResult;
    assert.equal(reference.steps.find((s) => s.name === 'train')?.attempt, 1);

    const resumedRun = { pipeline: 'resumed', workflowId: handle.workflowId, runId };
    const plainRun = { pipeline: 'uninterrupted', workflowId: plain.workflowId, runId: plainRunId };
    const [a, b] = await Promise.all([modelOf(resumedRun), modelOf(plainRun)]);
    assert.deepEqual(a.model, b.model, 'the same trees');
    const testX = await testRows(resumedRun);
    assert.deepEqual(loadModel(a.model).predict(testX), loadModel(b.model).predict(testX));
    assert.deepEqual(result.metrics, reference.metrics);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited(), 0, second.output());
  });

  test('four workers lost in one training (more than its 3 attempts): the step is scheduled again from the last checkpoint and the run deploys', async (t) => {
    // Room for four kills however many trees each attempt grows before the poll sees its checkpoint.
    const trees = 1500;
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(params('survivor', trees)));
    let checkpointed = 0;
    for (let loss = 1; loss <= 4; loss += 1) {
      const worker = await start();
      const ahead = await pendingTrain(handle, (p) => (details(p).checkpoint?.trees ?? 0) > checkpointed && (details(p).checkpoint?.trees ?? 0) < trees);
      checkpointed = details(ahead).checkpoint!.trees;
      t.diagnostic(`loss ${loss}: attempt ${ahead.attempt}, checkpoint of ${checkpointed} trees, resumed from ${details(ahead).resumedFrom ?? 0}`);
      if (loss === 4) assert.ok((details(ahead).resumedFrom ?? 0) > 0 && ahead.attempt === 1, 'the new activity of the step resumed from the checkpoint of the lost one');
      worker.child.kill('SIGKILL');
      await worker.exited();
    }
    const last = await start();
    const result = (await handle.result().catch((e: unknown) => assert.fail(`${String(e)}\n${last.output()}`))) as PipelineResult;
    assert.equal(result.outcome, 'deployed');
    assert.ok(
      result.warnings.some((w) => /^train: 3 attempts ended in lost workers \(heartbeat timeouts\); scheduled again \(round 2\)$/.test(w)),
      result.warnings.join('; '),
    );
    last.child.kill('SIGTERM');
    assert.equal(await last.exited(), 0, last.output());
  });

  test('a worker killed in the middle of a shard: the retry on a second worker resumes the shard from its checkpoint, and the merged forest predicts as one shard', async (t) => {
    const { handle, runId } = await startPipelineRun(env.client, parsePipelineParams(params('shard-resumed', SHARD_TREES, 2)));
    const first = await start();
    const checkpointed = await pendingTrain(handle, (p) => p.activityType === 'trainShard' && (details(p).checkpoint?.trees ?? 0) > 0);
    const atKill = details(checkpointed).checkpoint!;
    assert.ok(atKill.trees < SHARD_TREES / 2, "killed before the shard's trees were done");
    first.child.kill('SIGKILL');
    await first.exited();

    const second = await start();
    const result = (await handle.result().catch((e: unknown) => assert.fail(`${String(e)}\n${second.output()}`))) as PipelineResult;
    assert.equal(result.outcome, 'deployed');
    // The retry's own heartbeats may come and go between two polls on a fast machine: its result says where it began.
    const events = (await handle.fetchHistory()).events ?? [];
    const shards = events.flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      return scheduled?.activityType?.name === 'trainShard' ? [{ id: e.eventId!.toString(), input: defaultPayloadConverter.fromPayload<TrainShardInput>(scheduled.input!.payloads![0]) }] : [];
    });
    assert.equal(shards.length, 2, 'two shards, each retried within its activity');
    const killed = shards.find((shard) => checkpointKey(shard.input.run, shard.input.range) === atKill.key);
    assert.ok(killed, `no shard checkpoints at ${atKill.key}`);
    const done = events.find((e) => e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === killed.id)!.activityTaskCompletedEventAttributes!;
    const attempt = events.find((e) => e.eventId?.toString() === done.startedEventId?.toString())?.activityTaskStartedEventAttributes?.attempt;
    assert.ok((attempt ?? 0) >= 2, `the killed shard completed on a retry, attempt ${attempt}`);
    const resumedFrom = defaultPayloadConverter.fromPayload<TrainShardResult>(done.result!.payloads![0]).resumedFrom ?? 0;
    t.diagnostic(`killed with a checkpoint of ${atKill.trees} trees of the shard (${atKill.key}); attempt ${attempt} resumed from ${resumedFrom}`);
    assert.ok(resumedFrom >= atKill.trees, `attempt 2 resumed from ${resumedFrom}, the checkpoint had ${atKill.trees}: it grew only the trees after it`);

    const { handle: plain, runId: plainRunId } = await startPipelineRun(env.client, parsePipelineParams({ ...params('one-shard', SHARD_TREES, 1), timeouts: { train: { heartbeatSeconds: 60 } } }));
    assert.equal(((await plain.result()) as PipelineResult).outcome, 'deployed');
    const shardRun = { pipeline: 'shard-resumed', workflowId: handle.workflowId, runId };
    const [a, b] = await Promise.all([modelOf(shardRun), modelOf({ pipeline: 'one-shard', workflowId: plain.workflowId, runId: plainRunId })]);
    const testX = await testRows(shardRun);
    assert.deepEqual(loadModel(a.model).predict(testX), loadModel(b.model).predict(testX));
    assert.deepEqual(a.model, b.model, 'the same trees');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited(), 0, second.output());
  });

  test("a shard's 3 attempts lost: the shard is scheduled again with the checkpoint they heartbeated, and resumes from it", async () => {
    // In-process workers, so shard 0-20's attempts can be lost at will: each stores a checkpoint, heartbeats it, then goes silent.
    // The checkpoint holds recognisable trees (the other shard's first 7, grown for real), so the model shows whether the shard resumed from it.
    const deps = testDeps(sandbox);
    const real = createActivities(deps);
    const handed: (CheckpointRef | undefined)[] = [];
    const trainShard = async (input: TrainShardInput) => {
      if (input.range.from !== 0) return real.trainShard(input);
      handed.push(input.resume);
      if (input.resume) return real.trainShard(input);
      const grown = await real.trainShard({ ...input, range: { from: 20, to: 27 } });
      const { state } = JSON.parse((await sandbox.store.get(grown.shard.key)).toString('utf8')) as { state: unknown };
      const key = checkpointKey(input.run, input.range);
      await sandbox.store.put(key, JSON.stringify({ trees: 7, state }));
      Context.current().heartbeat({ message: 'lost after 7 trees', checkpoint: { key, trees: 7 } });
      await sleep(5_000);
      throw new Error('this attempt was lost: its result is not wanted');
    };
    const config = testConfig(sandbox, { WORKER_POOLS: 'light' });
    const workers = [
      ...(await createWorkers(config, env.nativeConnection, deps, { workflowBundle: { codePath: workerEnv.WORKFLOW_BUNDLE_PATH! } })),
      await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.compute, activities: { ...real, trainShard } }),
    ];
    const run = async () => {
      const { handle, runId } = await startPipelineRun(env.client, parsePipelineParams({ ...params('shard-lost', 40, 2), timeouts: { train: { heartbeatSeconds: 2 } } }));
      return { result: (await handle.result()) as PipelineResult, run: { pipeline: 'shard-lost', workflowId: handle.workflowId, runId } };
    };
    const done = run();
    await Promise.all(workers.map((w) => w.runUntil(done.catch(() => undefined))));
    const { result, run: shardRun } = await done;
    assert.equal(result.outcome, 'deployed');
    assert.ok(result.warnings.some((w) => /^train shard 0-20: 3 attempts ended in lost workers \(heartbeat timeouts\); scheduled again \(round 2\)$/.test(w)), result.warnings.join('; '));
    const key = checkpointKey(shardRun, { from: 0, to: 20 });
    assert.deepEqual(handed, [undefined, undefined, undefined, { key, trees: 7 }], 'the lost attempts, then the new activity with their checkpoint');
    const { trees } = RandomForestModel.fromSerialized((await modelOf(shardRun)).model);
    assert.equal(trees.length, 40);
    assert.deepEqual(trees.slice(0, 7), trees.slice(20, 27), "the shard's first 7 trees are the checkpoint's");
    assert.notDeepEqual(trees.slice(7, 20), trees.slice(27, 40), 'and the trees after them its own');
  });
});
