import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { activeComputeThreads } from '../../activities';
import { ApplicationFailure } from '@temporalio/common';
import { runInThread } from '../../activities/compute/runInThread';
import { ComputeTaskError } from '../../contract';
import { runStep } from '../../activities/failures';
import { keepAlive, beat } from '../../activities/heartbeat';
import { RandomForestClassifierSchema, type StepProgress } from '../../contract';
import { encodeSplit } from '../../ml/data/codec';
import { createRng } from '../../ml/random';
import { type ForestCheckpoint } from '../../activities/compute/tasks/forestCheckpoints';
import { activityEnv } from '../helpers/activities';

/** An encoded two-class split big enough that a forest of `nTrees` takes a while. */
function syntheticSplit(rows: number, cols: number): Uint8Array {
  const rng = createRng(5);
  const data = new Float64Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) data[r * cols + c] = rng.next();
    y[r] = data[r * cols] + 0.3 * rng.next() > 0.65 ? 1 : 0;
  }
  const featureNames = Array.from({ length: cols }, (_, i) => `f${i}`);
  return encodeSplit({ x: { rows, cols, data }, targets: { task: 'classification', classes: ['no', 'yes'], y }, featureNames });
}

const trainInput = (nTrees: number, everyTrees = 0) => ({
  model: { type: 'random_forest_classifier' as const, hyperparameters: { ...RandomForestClassifierSchema.parse({}), nTrees } },
  train: syntheticSplit(20_000, 8),
  transform: '{}',
  target: 'label',
  trainedAt: new Date(0).toISOString(),
  checkpoints: { everyTrees, everyMs: 0 },
});

/** The longest the event loop went without running a 10 ms timer while `work` ran. */
async function longestStall(work: Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return worst;
}

describe('compute threads', () => {
  test('a training runs in a thread: the event loop keeps ticking, progress is relayed, the thread is gone after', async () => {
    const progress: StepProgress[] = [];
    // Sized to last well over the 0.3 s floor on an idle machine (30 trees took 0.29 s there).
    const work = runInThread('train', trainInput(100), { signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    const stall = await longestStall(work);
    const { artifact, fitSeconds } = await work;
    assert.ok(fitSeconds > 0.3, `training took ${fitSeconds} s: too short to show the event loop stays free`);
    assert.ok(stall < 250, `the event loop stalled ${stall.toFixed(0)} ms during training`);
    assert.equal((JSON.parse(artifact) as { model: { type: string } }).model.type, 'random_forest_classifier');
    assert.deepEqual(progress.at(-1), { fraction: 1, message: '100/100' });
    assert.equal(activeComputeThreads(), 0);
  });

  test('aborting terminates the thread mid-computation within a second', async () => {
    const controller = new AbortController();
    let trees = 0;
    const work = runInThread('train', trainInput(100_000), { signal: controller.signal, onProgress: () => (trees += 1) });
    while (trees < 3) await sleep(20);
    assert.equal(activeComputeThreads(), 1);
    const abortedAt = performance.now();
    controller.abort(new Error('cancelled by the test'));
    await assert.rejects(work, /cancelled by the test/);
    assert.equal(activeComputeThreads(), 0, 'the promise settles only once the thread is gone');
    assert.ok(performance.now() - abortedAt < 1_000, 'terminated within a second');
  });

  test("a task's error keeps its name (so bad input still fails without retry) and its message", async () => {
    const error = await runInThread('evaluate', { model: Buffer.from('not json'), test: new Uint8Array(8) }, { signal: new AbortController().signal }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ComputeTaskError, String(error));
    assert.equal(error.name, 'ModelArtifactError');
    assert.match(error.message, /JSON|model artifact/i);
    const failure: unknown = await runStep(() => Promise.reject(error)).catch((e: unknown) => e);
    assert.ok(failure instanceof ApplicationFailure && failure.type === 'ModelArtifactError' && failure.nonRetryable, String(failure));
  });
});

describe('checkpointed forests', () => {
  test('a seed stream can start at any draw', () => {
    const stream = createRng(42);
    const draws = Array.from({ length: 50 }, () => stream.next());
    for (const skip of [0, 1, 17, 49]) assert.equal(createRng(42, skip).next(), draws[skip]);
  });

  test('a forest resumed from a checkpoint is the forest an uninterrupted training grows', async () => {
    const signal = new AbortController().signal;
    const checkpoints: ForestCheckpoint[] = [];
    const whole = await runInThread('train', trainInput(30, 10), { signal, onCheckpoint: (c) => checkpoints.push(c as ForestCheckpoint) });
    assert.deepEqual(
      checkpoints.map((c) => c.trees),
      [10, 20],
      'every 10 trees, none of the finished forest',
    );
    const resumed = await runInThread('train', { ...trainInput(30), resume: checkpoints[1].state }, { signal });
    assert.equal(resumed.resumedTrees, 20);
    assert.deepEqual((JSON.parse(resumed.artifact) as { model: unknown }).model, (JSON.parse(whole.artifact) as { model: unknown }).model);
  });

  test('a shard checkpoints its own trees, and one resumed from its checkpoint is the shard an uninterrupted training grows', async () => {
    const signal = new AbortController().signal;
    const { model, train, checkpoints: policy } = trainInput(30, 5);
    const shardInput = { model, train, range: { from: 10, to: 30 }, checkpoints: policy };
    const checkpoints: ForestCheckpoint[] = [];
    const whole = await runInThread('trainShard', { ...shardInput, train: train.slice() }, { signal, onCheckpoint: (c) => checkpoints.push(c as ForestCheckpoint) });
    assert.deepEqual(
      checkpoints.map((c) => c.trees),
      [5, 10, 15],
      "counted in the shard's range, none of the finished shard",
    );
    const resumed = await runInThread('trainShard', { ...shardInput, resume: checkpoints[1].state }, { signal });
    assert.equal(resumed.resumedTrees, 10);
    assert.deepEqual(JSON.parse(resumed.shard), JSON.parse(whole.shard));
  });

  test('a checkpoint that does not fit the data is dropped, and the forest starts over', async () => {
    const progress: StepProgress[] = [];
    const bad = { format: 'flat-trees-v1', trees: [{ feature: 'x' }] } as unknown as ForestCheckpoint['state'];
    const result = await runInThread('train', { ...trainInput(5), resume: bad }, { signal: new AbortController().signal, onProgress: (p) => progress.push(p) });
    assert.equal(result.resumedTrees, 0);
    assert.ok(progress.some((p) => /checkpoint not usable/.test(p.message ?? '')));
  });
});

describe('steady heartbeat', () => {
  test('a step with a heartbeat timeout heartbeats while its body is busy, repeating the latest details', async () => {
    const { call, heartbeats } = activityEnv({ heartbeatTimeoutMs: 400, heartbeatDetails: { checkpoint: 'from the previous attempt' } });
    const activity = keepAlive(async () => {
      await sleep(350);
      beat({ checkpoint: 'mine' });
      await sleep(350);
      return 'done';
    }, 50);
    assert.equal(await call(activity), 'done');
    const before = heartbeats.indexOf(heartbeats.find((d) => (d as { checkpoint?: string }).checkpoint === 'mine'));
    assert.ok(before >= 3, `expected beats before the step's own, got ${JSON.stringify(heartbeats)}`);
    assert.ok(heartbeats.slice(0, before).every((d) => (d as { checkpoint?: string }).checkpoint === 'from the previous attempt'));
    assert.ok(heartbeats.length - before >= 3, 'beats go on after the step heartbeats itself');
    assert.ok(heartbeats.slice(before).every((d) => (d as { checkpoint?: string }).checkpoint === 'mine'));
    const count = heartbeats.length;
    await sleep(150);
    assert.equal(heartbeats.length, count, 'no beat after the step ended');
  });

  test('a step without a heartbeat timeout is left alone', async () => {
    const { call, heartbeats } = activityEnv({ heartbeatTimeoutMs: undefined });
    await call(keepAlive(() => sleep(200).then(() => 1), 20));
    assert.deepEqual(heartbeats, []);
  });
});
