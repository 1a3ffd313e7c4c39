import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Client } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { loadApiConfig } from '../../api/config';
import { connectTemporal } from '../../api/temporalClient';
import { startPipelineRun } from '../../client/startRun';
import { TemporalConnectError } from '../../connection/connectError';
import { parsePipelineParams, type PipelineResult } from '../../contract';
import { startDevServer } from '../../launch/devServer';
import { makeTestPki, type TestPki } from '../helpers/certificates';
import { createSandbox, readExample, type Sandbox } from '../helpers/fixtures';
import { startGrpcTlsProxy, type GrpcTlsProxy } from '../helpers/grpcTlsProxy';
import { freePort } from '../helpers/ports';
import { bundleWorkflows } from '../helpers/temporal';
import { spawnWorker, type WorkerProcess } from '../helpers/workerProcess';

const API_KEY = 'tls-test-api-key';

let env: TestWorkflowEnvironment;
let pki: TestPki;
let sandbox: Sandbox;
let bundlePath: string;
/** Needs mTLS and the API key, like a production cluster behind an authenticating gateway. */
let locked: GrpcTlsProxy;
/** Server TLS only, like a self-hosted cluster with its own CA. */
let tlsOnly: GrpcTlsProxy;
const workers: WorkerProcess[] = [];

before(async () => {
  let bundle;
  [env, pki, sandbox, bundle] = await Promise.all([startDevServer(), makeTestPki(), createSandbox(), bundleWorkflows()]);
  bundlePath = join(sandbox.dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  const server = { target: env.address, cert: await pki.read(pki.serverCert), key: await pki.read(pki.serverKey) };
  [locked, tlsOnly] = await Promise.all([startGrpcTlsProxy({ ...server, clientCa: await pki.read(pki.caCert), apiKey: API_KEY }), startGrpcTlsProxy(server)]);
});
after(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await Promise.all([locked?.close(), tlsOnly?.close()]);
  await env?.teardown();
  await Promise.all([pki?.remove(), sandbox?.remove()]);
});

/** The variables an operator sets for the locked cluster. */
const lockedEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: locked.address,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
  // The certificate's name; TLS clients may not send an IP address as the server name.
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
  TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
  TEMPORAL_API_KEY: API_KEY,
});

async function worker(temporalEnv: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const w = await spawnWorker({
    ARTIFACT_ROOT: sandbox.artifactRoot,
    DATA_ROOT: sandbox.dataRoot,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    METRICS_HOST: '127.0.0.1',
    WORKER_METRICS_PORT: String(await freePort()),
    SDK_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'WARN',
    ...temporalEnv,
  });
  workers.push(w);
  return w;
}

/**
 * A worker that cannot connect exits by itself, with the reason, rather than retrying for ever. The
 * bound is loose: on a loaded 2-core machine a worker process takes tens of seconds to start.
 */
async function refused(temporalEnv: NodeJS.ProcessEnv): Promise<string> {
  const w = await worker(temporalEnv);
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 90_000);
  const code = await w.exited().finally(() => clearTimeout(timer));
  assert.equal(code, 1, `expected the worker to give up:\n${w.output()}`);
  return w.output();
}

describe('connecting to a Temporal that needs TLS, mTLS and an API key', () => {
  test('a worker process and the API client connect with mTLS and an API key, and a run completes through them', { timeout: 240_000 }, async () => {
    const w = await worker({ ...lockedEnv(), LOG_LEVEL: 'INFO' });
    let client: Client | undefined;
    try {
      client = await connectTemporal(loadApiConfig({ ...lockedEnv(), ARTIFACT_ROOT: sandbox.artifactRoot }));
      const iris = await readExample('iris.json');
      const { handle } = await startPipelineRun(client, parsePipelineParams({ ...iris, pipeline: 'iris-tls', allowConcurrentRuns: true }));
      const result = await (handle.result() as Promise<PipelineResult>);
      assert.equal(result.outcome, 'deployed');
      assert.equal(w.child.exitCode, null, w.output());
      assert.match(w.output(), new RegExp(`"connected to Temporal".*${locked.address} \\(namespace default, mTLS, API key\\)`));
    } finally {
      await client?.connection.close();
      w.child.kill('SIGTERM');
      await w.exited();
    }
    const paths = new Set(locked.calls.map((c) => c.path.split('/').pop()));
    for (const call of ['StartWorkflowExecution', 'PollWorkflowTaskQueue', 'PollActivityTaskQueue', 'RespondActivityTaskCompleted']) assert.ok(paths.has(call), `${call} did not go through the proxy: ${[...paths].join(', ')}`);
    assert.ok(locked.calls.every((c) => c.authorization === `Bearer ${API_KEY}` && c.clientCertificate), 'every call presents the key and the client certificate');
  });

  test('server TLS from a profile of TEMPORAL_CONFIG_FILE (TEMPORAL_PROFILE) reaches a TLS-only cluster', async () => {
    const file = join(sandbox.dir, 'temporal.toml');
    await writeFile(file, ['[profile.onprem]', `address = "${tlsOnly.address}"`, '[profile.onprem.tls]', `server_ca_cert_path = "${pki.caCert}"`, 'server_name = "localhost"', ''].join('\n'));
    const client = await connectTemporal(loadApiConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'onprem' }));
    try {
      const { namespaceInfo } = await client.workflowService.describeNamespace({ namespace: 'default' });
      assert.equal(namespaceInfo?.name, 'default');
    } finally {
      await client.connection.close();
    }
  });

  test('without the TLS settings the worker stops at once, naming the address and that it tried plaintext', async () => {
    const output = await refused({ TEMPORAL_ADDRESS: tlsOnly.address });
    assert.match(output, new RegExp(`cannot connect to Temporal at ${tlsOnly.address} \\(namespace default, plaintext\\)`));
    assert.match(output, /TEMPORAL_TLS/);
  });

  test('a server certificate from another CA is refused', async () => {
    const output = await refused({ TEMPORAL_ADDRESS: tlsOnly.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.otherCaCert });
    assert.match(output, /cannot connect to Temporal at .*TLS\).*UnknownIssuer/s);
  });

  test('TLS to a plaintext server is refused', async () => {
    const output = await refused({ TEMPORAL_ADDRESS: env.address, TEMPORAL_TLS: 'true', TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert });
    assert.match(output, new RegExp(`cannot connect to Temporal at ${env.address} \\(namespace default, TLS\\)`));
  });

  test('mTLS: without a client certificate the server refuses the handshake', async () => {
    const { TEMPORAL_TLS_CLIENT_CERT_PATH: _c, TEMPORAL_TLS_CLIENT_KEY_PATH: _k, ...noClientCert } = lockedEnv();
    const output = await refused(noClientCert);
    assert.match(output, new RegExp(`cannot connect to Temporal at ${locked.address} \\(namespace default, TLS, API key\\)`));
    // TLS 1.3 sends the refusal after the handshake: the client sees the alert, or, when the server
    // closes first (seen under load), a broken pipe on the same connection.
    assert.match(output, /CertificateRequired|broken pipe/);
  });

  test('without the API key the API cannot connect: UNAUTHENTICATED, as a TemporalConnectError', async () => {
    const { TEMPORAL_API_KEY: _key, ...noKey } = lockedEnv();
    await assert.rejects(connectTemporal(loadApiConfig(noKey)), (error: unknown) => {
      assert.ok(error instanceof TemporalConnectError, String(error));
      assert.match(error.message, /\(namespace default, mTLS\)/);
      assert.doesNotMatch(error.message, new RegExp(API_KEY));
      return true;
    });
    assert.ok(locked.calls.some((c) => c.authorization === undefined), 'the refused call reached the proxy without a key');
  });
});
