import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type TuneTrialInput } from '../../activities';
import { startPipelineRun } from '../../client/startRun';
import { isCompletedTrial, parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, type Sandbox } from '../helpers/fixtures';
import { twoClassCsv } from '../helpers/syntheticCsv';
import { bundleWorkflows, waitForStatus } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let workerEnv: NodeJS.ProcessEnv;
const running: WorkerProcess[] = [];

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  const csv = twoClassCsv(20_000, 8, 5, (x) => x[0] - x[1] + 0.5 * x[2]);
  await Promise.all([writeFile(bundlePath, bundle.code), writeFile(join(sandbox.dataRoot, 'synthetic.csv'), csv)]);
  workerEnv = { TEMPORAL_ADDRESS: env.address, ARTIFACT_ROOT: sandbox.artifactRoot, DATA_ROOT: sandbox.dataRoot, WORKFLOW_BUNDLE_PATH: bundlePath, LOG_LEVEL: 'WARN' };
});
after(async () => {
  for (const w of running) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await env?.teardown();
  await sandbox?.remove();
});

const start = async (): Promise<WorkerProcess> => {
  const w = await spawnWorker(workerEnv);
  running.push(w);
  return w;
};

describe('a worker killed mid-search', () => {
  test('the search resumes on a new worker: finished trials never run again, at most the ones in flight do', async () => {
    const tuning = { trials: 8, folds: 3, maxConcurrency: 2, space: { nTrees: { type: 'int', low: 40, high: 60 }, maxDepth: { type: 'int', low: 4, high: 12 } } };
    const { handle } = await startPipelineRun(
      env.client,
      parsePipelineParams({
        pipeline: 'tuning-crash',
        dataset: { source: 'synthetic.csv', target: 'label' },
        model: { type: 'random_forest_classifier' },
        deploy: { metric: 'accuracy', threshold: 0.5 },
        tuning,
        timeouts: { train: { heartbeatSeconds: 3 } },
      }),
    );
    const first = await start();
    const midway = await waitForStatus(handle, (s) => (s.tuning?.trials.length ?? 0) >= 2, 120_000).catch((e: unknown) => assert.fail(`${String(e)}\n${first.output()}`));
    first.child.kill('SIGKILL');
    await first.exited();
    const doneBeforeKill = new Set(midway.tuning!.trials.map((t) => t.trial));
    assert.ok(doneBeforeKill.size < 8, 'killed before the search ended');

    const second = await start();
    const result = (await handle.result().catch((e: unknown) => assert.fail(`${String(e)}\n${second.output()}`))) as PipelineResult;
    assert.equal(result.outcome, 'deployed', result.error);
    assert.equal(result.tuning!.trials.filter(isCompletedTrial).length, 8);

    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = new Map<number, number>();
    for (const e of events) {
      const a = e.activityTaskScheduledEventAttributes;
      if (a?.activityType?.name === 'tuneTrial') scheduled.set(Number(e.eventId), defaultPayloadConverter.fromPayload<TuneTrialInput>(a.input!.payloads![0]).trial);
    }
    // One scheduled activity per configuration: none was scheduled again.
    assert.deepEqual([...scheduled.values()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
    const retried = events.flatMap((e) => {
      const s = e.activityTaskStartedEventAttributes;
      return s && scheduled.has(Number(s.scheduledEventId)) && (s.attempt ?? 1) > 1 ? [scheduled.get(Number(s.scheduledEventId))!] : [];
    });
    // Only the trials in flight at the kill ran again (a trial scheduled but not yet picked up runs once, on the new worker).
    assert.ok(retried.length <= tuning.maxConcurrency, `retried: ${retried.join(', ')}`);
    for (const trial of retried) assert.ok(!doneBeforeKill.has(trial), `trial ${trial} finished before the kill, yet ran again`);
    second.child.kill('SIGTERM');
    await second.exited();
  });
});
