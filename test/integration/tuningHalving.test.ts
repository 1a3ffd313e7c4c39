import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type TrainInput } from '../../activities';
import { type TuneTrialInput } from '../../activities/tuningTypes';
import { startPipelineRun } from '../../client/startRun';
import { describeFailure, isCompletedTrial, parsePipelineParams, searchConfigurations, type CompletedTrial, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createRng } from '../../ml/random';
import { SUCCESSIVE_HALVING_PATCH } from '../../workflows/tune';
import { LEAN_HISTORY } from '../../workflows/patches';
import { createSandbox, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

/** 600 rows labelled by a > 0.5 and b > 0.3, 5% of labels flipped, and a noise column: depth 1 learns half of the rule, depth 2 all of it. */
async function writeRule(): Promise<void> {
  const rng = createRng(11);
  const rows = ['a,b,noise,label'];
  for (let i = 0; i < 600; i++) {
    const [a, b, noise] = [rng.next(), rng.next(), rng.next()];
    const rule = a > 0.5 && b > 0.3;
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${noise.toFixed(4)},${rule !== rng.next() < 0.05 ? 'yes' : 'no'}`);
  }
  await writeFile(join(sandbox.dataRoot, 'rule.csv'), rows.join('\n') + '\n');
}

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox()]);
  await writeRule();
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);

const ruleParams = (pipeline: string, tuning: Record<string, unknown>) =>
  parsePipelineParams({
    pipeline,
    dataset: { source: 'rule.csv', target: 'label' },
    split: { testSize: 0.3, seed: 3, stratify: true },
    model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 10, seed: 1, maxFeatures: 'all' } },
    deploy: { metric: 'accuracy', threshold: 0.6 },
    // Every step an ordinary activity, so the history's scheduled activities show each input.
    smallData: { maxRows: 0 },
    allowConcurrentRuns: true,
    tuning: { strategy: 'halving', folds: 3, seed: 5, maxConcurrency: 3, space: { maxDepth: { type: 'int', low: 1, high: 6 }, nTrees: { type: 'int', low: 2, high: 12 } }, ...tuning },
  });

/** The best `keep` of a rung, as the search promotes them: highest mean, earlier trial on a tie. */
const top = (rung: readonly CompletedTrial[], keep: number) => [...rung].sort((a, b) => b.mean - a.mean || a.trial - b.trial).slice(0, keep);

describe('successive halving on a real Temporal dev server', () => {
  test('9 candidates, eta 3: rungs of 46, 138 and 414 rows; the best third promoted each time; the last rung\'s best refit', async () => {
    const params = ruleParams('rule-halving', { trials: 9, eta: 3 });
    const started = await startPipelineRun(env.client, params);
    const result = await work(() => started.handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed', result.error);

    // 420 training rows; 9 candidates need 3 rungs; "exhaust": 420 / 3^2 = 46 rows first.
    const search = result.tuning!;
    assert.equal(search.strategy, 'halving');
    assert.deepEqual(search.rungs, [{ rung: 0, candidates: 9, resource: 46 }, { rung: 1, candidates: 3, resource: 138 }, { rung: 2, candidates: 1, resource: 414 }]);
    assert.equal(search.planned, 13);
    assert.equal(search.trials.length, 13);
    const trials = search.trials.filter(isCompletedTrial);
    assert.equal(trials.length, 13, JSON.stringify(search.trials));
    const rung = (r: number) => trials.filter((t) => t.rung === r);
    for (const t of trials) assert.equal(t.resource, search.rungs[t.rung!].resource);

    // Rung 0: every drawn configuration, in draw order.
    const configs = searchConfigurations(params.tuning!);
    assert.deepEqual(rung(0).map((t) => [t.trial, t.config]), configs.map((c, i) => [i, c]));
    // Each later rung: exactly the best third of the one before, by that rung's score.
    assert.deepEqual(rung(1).map((t) => t.trial).sort(), top(rung(0), 3).map((t) => t.trial).sort());
    assert.deepEqual(rung(2).map((t) => t.trial), top(rung(1), 1).map((t) => t.trial));
    // The scores do differ (depth 1 cannot learn the rule), and the winner can learn it.
    const first = rung(0).map((t) => t.mean);
    assert.ok(Math.max(...first) - Math.min(...first) > 0.05, JSON.stringify(first));
    const [winner] = rung(2);
    assert.ok((winner.config.maxDepth as number) >= 2, JSON.stringify(winner.config));
    assert.deepEqual({ trial: search.best?.trial, rung: search.best?.rung, resource: search.best?.resource, mean: search.best?.mean }, { trial: winner.trial, rung: 2, resource: 414, mean: winner.mean });
    assert.match(result.steps.find((s) => s.name === 'tune')?.summary ?? '', /successive halving, 3 rungs \(9 x 46 rows, 3 x 138 rows, 1 x 414 rows\)/);

    // The history: 13 trials each with its rung's rows, one refit of the winner, the patch marked; and it replays.
    const history = await started.handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a?.activityType?.name ? [{ type: a.activityType.name, input: a.input?.payloads?.[0] }] : [];
    });
    const trialInputs = scheduled.filter((a) => a.type === 'tuneTrial').map((a) => defaultPayloadConverter.fromPayload<TuneTrialInput>(a.input!));
    assert.deepEqual(trialInputs.map((i) => i.resource), [...new Array<number>(9).fill(46), 138, 138, 138, 414]);
    const trains = scheduled.filter((a) => a.type === 'train');
    assert.equal(trains.length, 1);
    assert.deepEqual(defaultPayloadConverter.fromPayload<TrainInput>(trains[0].input!).model.hyperparameters, { ...search.best?.hyperparameters });
    assert.equal(search.best?.hyperparameters.maxDepth, winner.config.maxDepth);
    const patches = (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((p) => JSON.stringify(defaultPayloadConverter.fromPayload(p)));
    // A run of today's code records the one marker that stands for every patch up to it.
    assert.ok(patches.some((p) => p.includes(`"${LEAN_HISTORY}"`)) && !patches.some((p) => p.includes(`"${SUCCESSIVE_HALVING_PATCH}"`)), patches.join(', '));
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
  });

  test('a minResource above the training rows fails before any trial, naming tuning.minResource', async () => {
    const started = await startPipelineRun(env.client, ruleParams('rule-halving-too-big', { minResource: 5000 }));
    const error = await work(() => started.handle.result().then(() => assert.fail('the run succeeded'), (e: unknown) => e));
    assert.match(describeFailure(error), /InvalidParams.*tuning\.minResource: minResource 5000 is more than the 420 training rows/);
    const history = await started.handle.fetchHistory();
    assert.ok(!(history.events ?? []).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'tuneTrial'));
  });
});
