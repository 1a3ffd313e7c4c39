import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DriftSpec, parsePipelineParams, TASK_QUEUES, type DriftSummary } from '../../contract';
import { startTimeSkippingServer } from '../../launch/devServer';
import { decideRetrain, type RetrainStart } from '../../workflows/retrain';
import { createSandbox, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { withWorkers } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;

before(async () => {
  [env, bundle, sandbox] = await Promise.all([
    startTimeSkippingServer(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./probes/retrainProbe'), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m) => console.error(m) } }),
    createSandbox(),
  ]);
});
after(async () => {
  await env?.teardown();
  await sandbox?.remove();
});

const drifted: DriftSummary = { verdict: 'drift', modelName: 'iris', version: '1', rows: 150, worst: [{ feature: 'petal_length', psi: 3, verdict: 'drift' }], warnings: [] };

describe('retraining started by drift (time-skipping server)', () => {
  test('started once as retrain-<model>; refused while it runs, and by the cool-down; neither is a failure', async () => {
    // The lineage waits on a marker that never comes, so the retraining child stays running while the others ask.
    const lineage = parsePipelineParams({
      pipeline: 'iris',
      dataset: { source: 'iris.csv', target: 'species' },
      model: { type: 'logistic_regression' },
      deploy: { metric: 'accuracy', threshold: 0.5 },
    });
    const spec = DriftSpec.parse({ retrain: { enabled: true, cooldownSeconds: 0 } });
    const decision = decideRetrain(drifted, spec, lineage, { source: 'iris.csv' });
    assert.ok(decision.retrain);
    const waiting = { ...decision, params: { ...decision.params, sensor: { marker: 'never.flag', mode: 'reschedule', pokeIntervalSeconds: 60, timeoutSeconds: 86_400 } } };
    const probe = (cooldownSeconds: number) =>
      env.client.workflow.execute('retrainProbe', {
        taskQueue: TASK_QUEUES.light,
        workflowId: `probe-${randomUUID()}`,
        args: [waiting, { ...spec, retrain: { ...spec.retrain, cooldownSeconds } }, 'iris', { pipeline: 'iris', workflowId: `probe-${randomUUID()}`, runId: randomUUID() }],
      }) as Promise<RetrainStart>;
    await withWorkers(env, testConfig(sandbox), testDeps(sandbox), bundle, async () => {
      const first = await probe(0);
      assert.deepEqual({ started: first.started, id: first.started ? first.workflowId : '' }, { started: true, id: 'retrain-iris' });
      const child = env.client.workflow.getHandle('retrain-iris');
      assert.equal((await child.describe()).status.name, 'RUNNING');
      const second = await probe(0);
      assert.deepEqual(second, { started: false, reason: 'a retraining of model iris is already running (retrain-iris)' });
      const cooled = await probe(3600);
      assert.equal(cooled.started, false);
      assert.ok(!cooled.started && /^cool-down: model iris was last retrained at /.test(cooled.reason), JSON.stringify(cooled));
      await child.terminate('test over');
    });
  });
});
