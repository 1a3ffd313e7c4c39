import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type ArtifactStore } from '../../storage/artifactStore';
import { ModelRegistry } from '../../storage/modelRegistry';
import { startPipelineRun } from '../../client/startRun';
import { parsePipelineParams, runPrefix, type PipelineResult, type RunRef } from '../../contract';
import { decodeTable } from '../../ml/data/codec';
import { startDevServer } from '../../launch/devServer';
import { createSandbox, readExample, testConfig, testDeps, type Sandbox } from '../helpers/fixtures';
import { startS3Server, type S3TestServer } from '../helpers/s3Server';
import { bundleWorkflows, causes, withWorkers } from '../helpers/temporal';

/**
 * The server is down this long plus its ~1 s start: the attempt that meets the kill and the retry
 * after 1 s fail, and a slow restart still has until the fifth and last attempt (1+2+4+8 s of backoff).
 */
const OUTAGE_MS = 1_500;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let sandbox: Sandbox;
let s3: S3TestServer;

before(async () => {
  [env, bundle, sandbox, s3] = await Promise.all([startDevServer(), bundleWorkflows(), createSandbox(), startS3Server()]);
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'datasets/iris.csv', Body: await readFile(join(sandbox.dataRoot, 'iris.csv')) }));
});
after(async () => {
  await env?.teardown();
  await s3?.remove();
  await sandbox?.remove();
});

/** A store that calls `hook` before each put, to act at an exact point of a run. */
function beforePut(store: ArtifactStore, hook: (key: string) => Promise<void>): ArtifactStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'put') return Reflect.get(target, property, receiver) as unknown;
      return async (key: string, data: Uint8Array | string, contentType?: string) => {
        await hook(key);
        return target.put(key, data, contentType);
      };
    },
  });
}

async function runPipeline(pipeline: string, store: ArtifactStore): Promise<{ result: PipelineResult; run: RunRef }> {
  const params = { ...(await readExample('iris.json')), pipeline, dataset: { source: `s3://${s3.bucket}/datasets/iris.csv`, target: 'species' } };
  const { handle, workflowId, runId } = await startPipelineRun(env.client, parsePipelineParams(params));
  const result = await withWorkers(env, testConfig(sandbox), testDeps(sandbox, { store, s3: s3.client }), bundle, () =>
    (handle.result() as Promise<PipelineResult>).catch((error: unknown) => assert.fail(causes(error))),
  );
  return { result, run: { pipeline, workflowId, runId } };
}

/** The keys of a run, relative to its folder. */
async function runKeys(store: ArtifactStore, run: RunRef): Promise<string[]> {
  const prefix = `${runPrefix(run)}/`;
  return (await store.list(prefix)).map((k) => k.slice(prefix.length));
}

describe('S3 outage during a run', () => {
  test('the S3 server killed mid-run and started again: the run completes, nothing lost, nothing doubled', async (t) => {
    // What a run without trouble leaves behind, as the measure for the one that has it.
    const reference = await runPipeline('s3-reference', sandbox.store);
    assert.equal(reference.result.outcome, 'deployed');

    const store = s3.store('artifacts');
    let restarted: Promise<void> | undefined;
    // Killed as ingest writes its table (beside its schema, in parallel): that write meets a dead server.
    const tripping = beforePut(store, async (key) => {
      if (restarted !== undefined || !key.endsWith('/ingested/table.bin')) return;
      await s3.kill();
      restarted = sleep(OUTAGE_MS).then(() => s3.start());
    });
    const { result, run } = await runPipeline('s3-outage', tripping);
    assert.ok(restarted, 'the server was killed during the run');
    await restarted;

    assert.equal(result.outcome, 'deployed');
    const ingest = result.steps.find((s) => s.name === 'ingest');
    assert.ok((ingest?.attempt ?? 0) >= 2, `ingest was retried across the outage: ${JSON.stringify(ingest)}`);
    t.diagnostic(`ingest succeeded at attempt ${ingest?.attempt} after a ${OUTAGE_MS} ms outage`);

    // Exactly the artifacts of a clean run: no partial object, no duplicate, no leftover upload.
    assert.deepEqual(await runKeys(store, run), await runKeys(sandbox.store, reference.run));
    const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
    assert.deepEqual(uploads.Uploads ?? [], []);
    assert.equal(decodeTable(await store.get(`${runPrefix(run)}/ingested/table.bin`)).rowCount, 150);
    assert.match((await store.get(`${runPrefix(run)}/report/report.md`)).toString('utf8'), /deployed/);

    // One model version, serving, with its model stored.
    const registry = new ModelRegistry(store);
    assert.deepEqual(
      (await registry.versions('s3-outage')).map((v) => [v.version, v.run.runId]),
      [['1', run.runId]],
    );
    assert.equal((await registry.production('s3-outage'))?.version, '1');
    assert.ok((await registry.getModel('s3-outage', '1')).length > 0);
    assert.equal(result.modelVersion, '1');
  });
});
