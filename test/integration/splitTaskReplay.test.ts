import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, statusQuery, TASK_QUEUES, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, readExample, testDeps, type Sandbox } from '../helpers/fixtures';
import { bundleWorkflows } from '../helpers/temporal';

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

/**
 * A query asked before a run's first workflow task is done is answered with that task: the worker
 * completes it as soon as the params check (a local activity) has its result, and what the workflow
 * does with the result goes into the next task. A worker that replays such a history (after a crash,
 * or once the run left its cache) must take the same branches: a patch first decided there could not
 * be replayed (a worker crash left such runs stuck, failing every task as nondeterministic).
 */
describe('a workflow task split by a query', () => {
  test('a run queried before its first task is done replays from its history', async () => {
    const { handle } = await startPipelineRun(env.client, parsePipelineParams(await readExample('iris.json')), { workflowId: `split-${Date.now()}` });
    // Asked before any worker polls, as a client that starts a run and watches it does.
    const early = handle.query(statusQuery);
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.light, workflowBundle: bundle, activities: createActivities(testDeps(sandbox)) });
    const result = await worker.runUntil(async () => {
      await early;
      return handle.result() as Promise<PipelineResult>;
    });
    assert.equal(result.outcome, 'deployed');

    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const marker = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    assert.ok(marker > 0, 'the params check left its marker');
    const shape = events.map((e) => `${String(e.eventId)}:${e.eventType}`).join(' ');
    assert.ok(events[marker + 1]?.workflowTaskScheduledEventAttributes, `the first task ends at the params check's marker: ${shape}`);
    await Worker.runReplayHistory({ workflowBundle: bundle }, history);
  });
});
