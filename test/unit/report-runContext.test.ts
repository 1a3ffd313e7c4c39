import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recentHistory, tuningTrials } from '../../activities/report/runContext';
import { parsePipelineParams, type PipelineStatus, type TrackingRecord } from '../../contract';
import { TrackingIndex } from '../../storage/trackingIndex';
import { activitySandbox, newRun, type ActivitySandbox } from '../helpers/activities';
import { readExample } from '../helpers/fixtures';

const record = (runId: string, startedAt: string, metrics: Record<string, number>): TrackingRecord => ({ pipeline: 'iris', runId, startedAt, metrics }) as unknown as TrackingRecord;

describe('the report run context', () => {
  let box: ActivitySandbox;
  before(async () => {
    box = await activitySandbox();
  });
  after(() => box.sandbox.remove());

  test("history: the gate metric of the pipeline's tracked runs, oldest first, runs without it left out", async () => {
    const params = parsePipelineParams(await readExample('iris.json'));
    const index = new TrackingIndex(box.sandbox.store);
    const run = newRun();
    assert.equal(await recentHistory(index, run, params), undefined, 'no tracked run: no chart');
    await index.put(record('b', '2026-12-06T10:00:00Z', { [params.deploy.metric!]: 0.9 }));
    assert.equal(await recentHistory(index, run, params), undefined, 'one point is no trend');
    await index.put(record('a', '2026-12-05T10:00:00Z', { [params.deploy.metric!]: 0.8 }));
    await index.put(record('failed', '2026-12-05T12:00:00Z', {}));
    const history = await recentHistory(index, run, params);
    assert.deepEqual(history, {
      metric: params.deploy.metric,
      runs: [
        { runId: 'a', startedAt: '2026-12-05T10:00:00Z', value: 0.8 },
        { runId: 'b', startedAt: '2026-12-06T10:00:00Z', value: 0.9 },
      ],
    });
  });

  test('tuning: finished trials only, the best one found by its trial number', () => {
    const status = {
      tuning: {
        strategy: 'grid',
        metric: 'accuracy',
        direction: 'maximize',
        folds: 3,
        planned: 3,
        trials: [
          { trial: 0, config: { nTrees: 10 }, foldScores: [0.9], mean: 0.9, std: 0, seconds: 1 },
          { trial: 1, config: { nTrees: 0 }, error: 'cannot train' },
          { trial: 2, config: { nTrees: 50 }, foldScores: [0.95], mean: 0.95, std: 0.01, seconds: 1 },
        ],
        best: { trial: 2, config: { nTrees: 50 }, hyperparameters: { nTrees: 50 }, mean: 0.95, std: 0.01 },
      },
    } as unknown as PipelineStatus;
    assert.deepEqual(tuningTrials(status), {
      metric: 'accuracy',
      trials: [
        { params: { nTrees: 10 }, mean: 0.9, std: 0 },
        { params: { nTrees: 50 }, mean: 0.95, std: 0.01 },
      ],
      best: 1,
    });
    assert.equal(tuningTrials({} as PipelineStatus), undefined);
  });

  test('tuning by successive halving: each rung\'s trials with their rung and rows, the best found in the last rung', () => {
    const trial = (t: number, rung: number, mean: number) => ({ trial: t, rung, resource: 100 * 3 ** rung, config: { nTrees: 10 * (t + 1) }, foldScores: [mean], mean, std: 0, seconds: 1 });
    const status = {
      tuning: {
        strategy: 'halving',
        metric: 'accuracy',
        direction: 'maximize',
        folds: 3,
        planned: 4,
        rungs: [{ rung: 0, candidates: 3, resource: 100 }, { rung: 1, candidates: 1, resource: 300 }],
        trials: [trial(0, 0, 0.8), trial(1, 0, 0.9), trial(2, 0, 0.85), trial(1, 1, 0.92)],
        best: { trial: 1, rung: 1, resource: 300, config: { nTrees: 20 }, hyperparameters: { nTrees: 20 }, mean: 0.92, std: 0 },
      },
    } as unknown as PipelineStatus;
    const charted = tuningTrials(status)!;
    assert.equal(charted.best, 3, 'trial 1 of rung 1, not its rung-0 entry');
    assert.deepEqual(charted.trials.map((t) => [t.rung, t.resource, t.mean]), [[0, 100, 0.8], [0, 100, 0.9], [0, 100, 0.85], [1, 300, 0.92]]);
  });
});
