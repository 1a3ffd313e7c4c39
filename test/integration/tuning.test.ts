import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type TrainInput } from '../../activities';
import { startPipelineRun } from '../../client/startRun';
import { describeFailure, isCompletedTrial, parsePipelineParams, runKey, type PipelineParamsInput, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { loadModel, type RandomForestModel } from '../../ml/models';
import { decodeModelArtifact } from '../../storage/modelArtifact';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows, withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox()]);
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const work = <T>(body: () => Promise<T>) => withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, body);

async function tunedIris(pipeline: string, tuning: unknown): Promise<PipelineParamsInput> {
  return { ...(await readExample('iris.json')), pipeline, allowConcurrentRuns: true, tuning } as PipelineParamsInput;
}

describe('hyperparameter search on a real Temporal dev server', () => {
  test('a grid of 4 forests, 3-fold CV, 2 at a time: every trial in the result, the best one refit and evaluated', async () => {
    const tuning = { strategy: 'grid', folds: 3, maxConcurrency: 2, space: { maxDepth: { type: 'choice', values: [1, null] }, nTrees: { type: 'choice', values: [2, 15] } } };
    // Every step an ordinary activity, so the history's scheduled activities show the train step's input.
    const started = await startPipelineRun(env.client, parsePipelineParams({ ...(await tunedIris('iris-tuned', tuning)), smallData: { maxRows: 0 } }));
    const result = await work(() => started.handle.result() as Promise<PipelineResult>);
    assert.equal(result.outcome, 'deployed', result.error);

    const search = result.tuning!;
    assert.equal(search.planned, 4);
    assert.deepEqual({ metric: search.metric, direction: search.direction, folds: search.folds }, { metric: 'accuracy', direction: 'maximize', folds: 3 });
    assert.deepEqual(search.trials.map((t) => t.config), [{ maxDepth: 1, nTrees: 2 }, { maxDepth: 1, nTrees: 15 }, { maxDepth: null, nTrees: 2 }, { maxDepth: null, nTrees: 15 }]);
    const trials = search.trials.filter(isCompletedTrial);
    assert.equal(trials.length, 4);
    for (const t of trials) {
      assert.equal(t.foldScores.length, 3);
      assert.ok(Math.abs(t.mean - t.foldScores.reduce((a, b) => a + b) / 3) < 1e-12);
      assert.ok(t.seconds > 0);
    }
    // The best is the highest mean, the earliest on a tie; the configurations do differ.
    const top = Math.max(...trials.map((t) => t.mean));
    const best = trials.find((t) => t.mean === top)!;
    assert.ok(Math.min(...trials.map((t) => t.mean)) < top - 0.05, JSON.stringify(search.trials));
    assert.deepEqual({ trial: search.best?.trial, config: search.best?.config }, { trial: best.trial, config: best.config });
    assert.equal(search.best?.hyperparameters.seed, 1, 'the searched values replace only theirs');
    assert.equal(result.steps.find((s) => s.name === 'tune')?.state, 'completed');

    // The train step refit exactly the best configuration, once; every trial ran once (none re-ran).
    const history = await started.handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => {
      const a = e.activityTaskScheduledEventAttributes;
      return a?.activityType?.name ? [{ type: a.activityType.name, input: a.input?.payloads?.[0] }] : [];
    });
    assert.equal(scheduled.filter((a) => a.type === 'tuneTrial').length, 4);
    const trains = scheduled.filter((a) => a.type === 'train');
    assert.equal(trains.length, 1);
    const trainInput = defaultPayloadConverter.fromPayload<TrainInput>(trains[0].input!);
    assert.deepEqual(trainInput.model.hyperparameters, search.best?.hyperparameters);
    const stored = decodeModelArtifact(await sandbox.store.get(runKey({ pipeline: 'iris-tuned', workflowId: started.workflowId, runId: started.runId }, 'model', 'model.json')));
    assert.equal((loadModel(stored.model) as RandomForestModel).trees.length, best.config.nTrees);
    assert.ok(result.metrics!.accuracy >= 0.9);

    // The seeded draws are workflow code: the recorded history replays.
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
  });

  test('an error to minimise on a regressor; a configuration the data cannot train is recorded and the search goes on', async () => {
    const diabetes = { ...(await readExample('diabetes.json')), pipeline: 'diabetes-tuned', allowConcurrentRuns: true };
    const tuning = { strategy: 'grid', folds: 4, metric: 'mse', space: { l2: { type: 'choice', values: [0, 30, 100000] } } };
    const result = await work(async () => (await startPipelineRun(env.client, parsePipelineParams({ ...diabetes, tuning }))).handle.result() as Promise<PipelineResult>);
    const search = result.tuning!;
    assert.equal(search.direction, 'minimize');
    const trials = search.trials.filter(isCompletedTrial);
    assert.equal(trials.length, 3);
    const lowest = trials.reduce((a, b) => (b.mean < a.mean ? b : a));
    assert.equal(search.best?.trial, lowest.trial);
    assert.notEqual(lowest.config.l2, 100000, 'a huge penalty is the worst');

    // iris: 105 training rows, 3 folds of 70 training rows: 90 samples per tree is more than a fold has.
    const forest = await tunedIris('iris-too-many-samples', { strategy: 'grid', folds: 3, space: { maxSamples: { type: 'choice', values: [90, 50] } } });
    const iris = await work(async () => (await startPipelineRun(env.client, parsePipelineParams(forest))).handle.result() as Promise<PipelineResult>);
    assert.equal(iris.outcome, 'deployed', iris.error);
    const [tooMany, fine] = iris.tuning!.trials;
    assert.ok(!isCompletedTrial(tooMany) && /TrainingDataError: maxSamples 90 exceeds the 70 training rows/.test(tooMany.error), JSON.stringify(tooMany));
    assert.ok(isCompletedTrial(fine));
    assert.deepEqual(iris.tuning!.best?.config, { maxSamples: 50 });
    assert.ok(iris.warnings.some((w) => w.includes('1 of 2 configurations could not be trained')), iris.warnings.join('; '));
  });

  test('more folds than training rows of the smallest class: the run fails without retry, naming tuning.folds', async () => {
    const rows = ['x,label', ...Array.from({ length: 40 }, (_, i) => `${i},big`), ...Array.from({ length: 4 }, (_, i) => `${100 + i},small`)];
    await writeFile(join(sandbox.dataRoot, 'rare.csv'), rows.join('\n'));
    const params = {
      pipeline: 'rare-class',
      dataset: { source: 'rare.csv', target: 'label' },
      split: { testSize: 0.25 },
      model: { type: 'random_forest_classifier', hyperparameters: { nTrees: 3 } },
      deploy: { metric: 'accuracy', threshold: 0.5 },
      tuning: { folds: 5, trials: 2, space: { maxDepth: { type: 'int', low: 1, high: 4 } } },
    };
    const started = await startPipelineRun(env.client, parsePipelineParams(params));
    const error = await work(() => started.handle.result().then(() => assert.fail('the run succeeded'), (e: unknown) => e));
    assert.ok(error instanceof WorkflowFailedError);
    assert.match(describeFailure(error), /InvalidParams.*tuning\.folds: 5 stratified folds need at least 5 training rows of each class, and class "small" has 3/);
    const history = await started.handle.fetchHistory();
    const attempts = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt! > 1);
    assert.equal(attempts.length, 0, 'no retry');
  });

  test('a binary-only metric to optimise on a three-class target fails before any trial, naming tuning.metric', async () => {
    const started = await startPipelineRun(env.client, parsePipelineParams(await tunedIris('iris-auc', { metric: 'roc_auc', space: { maxDepth: { type: 'int', low: 1, high: 4 } } })));
    const error = await work(() => started.handle.result().then(() => assert.fail('the run succeeded'), (e: unknown) => e));
    assert.match(describeFailure(error), /InvalidParams.*tuning\.metric: roc_auc applies to binary classifiers only/);
    const history = await started.handle.fetchHistory();
    assert.ok(!(history.events ?? []).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'tuneTrial'));
  });
});
