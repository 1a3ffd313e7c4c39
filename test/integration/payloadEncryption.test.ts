import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { findBinary } from '../../tools/temporal';
import { listen, request } from '../helpers/apiRequest';
import { createSandbox, readExample, type Sandbox } from '../helpers/fixtures';
import { startHttpServer, type RecordedRequest } from '../helpers/httpServer';
import { freePort } from '../helpers/ports';
import { bundleWorkflows } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';

const exec = promisify(execFile);
const API_KEY = 'codec-test-api-key-0123456789';
const SECRET = `SEKRET${randomBytes(6).toString('hex')}`;
/** Held only by the worker, named in the params by reference. */
const REFERENCED = `REFSEKRET${randomBytes(6).toString('hex')}`;
const KEYS = `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`;

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let worker: WorkerProcess;
let api: INestApplication;
let baseUrl: string;
let hook: Awaited<ReturnType<typeof startHttpServer>>;
const delivered: RecordedRequest[] = [];

before(async () => {
  let bundle;
  [env, sandbox, bundle] = await Promise.all([startDevServer(), createSandbox(), bundleWorkflows()]);
  const bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  hook = await startHttpServer((req, res) => {
    delivered.push(req);
    res.end('ok');
  });
  worker = await spawnWorker({
    TEMPORAL_ADDRESS: env.address,
    PAYLOAD_CODEC_KEYS: KEYS,
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    HTTP_ALLOW_HOSTS: '127.0.0.1',
    MLP_SECRET_ALERT_HOOK: hook.url(`/ref?token=${REFERENCED}`),
    WORKER_METRICS_PORT: String(await freePort()),
    SDK_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'INFO',
  });
  const config = loadApiConfig({ API_KEY, ARTIFACT_ROOT: sandbox.artifactRoot, TEMPORAL_ADDRESS: env.address, PAYLOAD_CODEC_KEYS: KEYS });
  const client = new Client({ connection: env.connection, namespace: config.temporal.namespace, dataConverter: config.temporal.dataConverter });
  api = await createApiApp(config, { client, store: sandbox.store, logger: new JsonLogger(() => undefined) });
  baseUrl = await listen(api);
});
after(async () => {
  await api?.close();
  if (worker?.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited();
  }
  await hook?.close();
  await env?.teardown();
  await sandbox?.remove();
});

const call = <T>(method: string, path: string, body?: unknown) => request<T>(baseUrl, method, path, body, { 'x-api-key': API_KEY });

type Found = { path: string; payload: temporal.api.common.v1.IPayload };

/** Every payload anywhere in a history event, found by shape (metadata + data), with where it is. */
function payloadsIn(value: unknown, path = '', found: Found[] = []): Found[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if ('metadata' in value && 'data' in value && (value as { data: unknown }).data instanceof Uint8Array) {
    found.push({ path, payload: value as temporal.api.common.v1.IPayload });
    return found;
  }
  for (const [k, v] of Object.entries(value)) payloadsIn(v, `${path}.${k}`, found);
  return found;
}

describe('payloads encrypted with PAYLOAD_CODEC_KEYS on a real dev server', () => {
  test('a run through the API: the history, memo and worker log hold no plaintext params; the codec endpoint decodes them for the CLI; a secret reference is never in the history', async () => {
    const params = { ...(await readExample('iris.json')), pipeline: 'iris-sealed', notifications: { webhooks: [hook.url(`/hook?token=${SECRET}`), { secretRef: 'ALERT_HOOK' }] } };
    const started = await call<{ workflowId: string }>('POST', '/runs', params);
    assert.equal(started.status, 201, started.text);
    const { workflowId } = started.body;
    const plain = new Client({ connection: env.connection });
    const result = (await plain.workflow.getHandle(workflowId).result().catch(() => undefined)) as PipelineResult | undefined;
    assert.equal(result, undefined, 'a client without the key cannot read the result');
    const details = await pollRun(workflowId);
    assert.equal(details.run?.outcome, 'deployed', JSON.stringify(details));
    assert.ok(delivered.some((r) => r.url.includes(SECRET)), 'the webhook was called with its real URL');
    assert.ok(delivered.some((r) => r.url.includes(REFERENCED)), 'the referenced webhook was resolved by the worker');

    const { history } = await plain.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history!).finish());
    assert.equal(bytes.indexOf(SECRET), -1, 'the secret is nowhere in the history');
    assert.equal(bytes.indexOf('iris.csv'), -1, 'nor is the dataset of the params');
    const payloads = history!.events!.flatMap((e) => payloadsIn(e));
    assert.ok(payloads.length > 20, `${payloads.length} payloads`);
    // Search attributes must stay readable to be searched (ours carry names and stages, no params);
    // the SDK writes its patch markers and its local activity markers' bookkeeping (type, attempt,
    // times) itself, outside any codec; a local step's result goes through the codec.
    const plainPayloads = payloads.filter((p) => Buffer.from(p.payload.metadata?.encoding ?? []).toString() !== 'binary/encrypted');
    assert.deepEqual(plainPayloads.map((p) => p.path).filter((path) => !/\.searchAttributes\.indexedFields\.|\.patch-data\.|\.markerRecordedEventAttributes\.details\.data\./.test(path)), []);
    for (const p of plainPayloads.filter((x) => x.path.includes('.markerRecordedEventAttributes.details.data.'))) {
      assert.ok('activity_type' in (JSON.parse(Buffer.from(p.payload.data ?? []).toString()) as object), 'a local activity marker holds its bookkeeping only');
    }
    const sealed = payloads.filter((p) => !plainPayloads.includes(p));
    const keyIds = new Set(sealed.map((p) => Buffer.from(p.payload.metadata?.['encryption-key-id'] ?? []).toString()));
    assert.deepEqual([...keyIds], ['k2'], 'the first key encrypts');

    const described = await plain.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
    const memo = Object.values(described.workflowExecutionInfo?.memo?.fields ?? {});
    assert.ok(memo.length > 0 && memo.every((p) => Buffer.from(p.metadata?.encoding ?? []).toString() === 'binary/encrypted'), 'the memo is encrypted');
    assert.ok(!worker.output().includes(SECRET), 'nor in the worker log');
    assert.ok(!JSON.stringify(details).includes(SECRET), 'nor in the run details');

    const cli = await findBinary('cli');
    assert.ok(cli, 'temporal CLI');
    const show = ['workflow', 'show', '--address', env.address, '--workflow-id', workflowId, '--output', 'json'];
    const withoutCodec = await exec(cli, show, { maxBuffer: 64 * 1024 * 1024 });
    assert.ok(!payloadTexts(withoutCodec.stdout).includes(SECRET));
    const decoded = await exec(cli, [...show, '--codec-endpoint', `${baseUrl}/codec`, '--codec-auth', `Bearer ${API_KEY}`], { maxBuffer: 64 * 1024 * 1024 });
    const texts = payloadTexts(decoded.stdout);
    assert.ok(texts.includes(SECRET), 'the CLI decodes the params through /codec with the key');
    assert.ok(texts.includes('secret://ALERT_HOOK') && !decoded.stdout.includes(REFERENCED) && !texts.includes(REFERENCED), 'a referenced secret is not in the history at all');
    assert.ok(!worker.output().includes(REFERENCED));
  });
});

/** The CLI's JSON history prints payload bytes in base64: their text, joined, to search in. */
function payloadTexts(cliJson: string): string {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const { metadata, data } = value as { metadata?: unknown; data?: unknown };
    if (metadata && typeof data === 'string') texts.push(Buffer.from(data, 'base64').toString('utf8'));
    else Object.values(value).forEach(walk);
  };
  walk(JSON.parse(cliJson));
  return texts.join('\n');
}

type RunBody = { status: string; run: { outcome?: string } | null };

async function pollRun(workflowId: string): Promise<RunBody> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await call<RunBody>('GET', `/runs/${workflowId}`);
    if (res.status === 200 && res.body.status !== 'RUNNING') return res.body;
    if (Date.now() > deadline) assert.fail(`run never finished: ${res.status} ${res.text.slice(0, 500)}\n${worker.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
