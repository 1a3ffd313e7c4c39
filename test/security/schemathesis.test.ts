import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type INestApplication } from '@nestjs/common';
import { createApiApp } from '../../api/app';
import { JsonLogger } from '../../api/common/jsonLogger';
import { loadApiConfig } from '../../api/config';
import { startDevServer } from '../../launch/devServer';
import { ensureTool } from '../../tools/find';
import { listen } from '../helpers/apiRequest';
import { createSandbox, type Sandbox } from '../helpers/fixtures';

const API_KEY = 'security-api-key-0123456789';
// Bounded so the whole file stays under ~3 min on 2 loaded cores; the seed makes a failure repeatable.
const MAX_EXAMPLES = '5';
const SEED = '20261202';
const RUN_TIMEOUT_MS = 150_000;
/** Checks left out for single operations, each with why. */
const CONFIG = join(__dirname, 'schemathesis.toml');

let env: TestWorkflowEnvironment;
let sandbox: Sandbox;
let app: INestApplication;
let baseUrl: string;
let schemathesis: { bin: string; site: string };

/**
 * The real API against a real Temporal dev server. No worker: runs it starts stay queued, which is
 * all the API sees of them, and the fuzzed runs cost no CPU beyond the requests.
 */
before(async () => {
  const [server, box, tool] = await Promise.all([startDevServer(), createSandbox(), ensureTool('schemathesis')]);
  env = server;
  sandbox = box;
  // pip --target puts the packages beside bin/: that folder is what Python must import from.
  schemathesis = { bin: tool.path, site: dirname(dirname(tool.path)) };
  // Limits high enough that the fuzzing measures the API, not the rate limiter (whose 429 is documented).
  const config = loadApiConfig({ API_KEY, ARTIFACT_ROOT: sandbox.artifactRoot, HOST: '127.0.0.1', API_RUNS_PER_MINUTE: '100000', API_PREDICTIONS_PER_MINUTE: '100000' });
  app = await createApiApp(config, { client: env.client, store: sandbox.store, logger: new JsonLogger(() => undefined) });
  baseUrl = await listen(app);
});
after(async () => {
  await app?.close();
  await env?.teardown();
  await sandbox?.remove();
});

/** `schemathesis run` over the API's own document with every check (see CONFIG); its output when it fails. */
function run(extra: readonly string[]): Promise<{ code: number | null; output: string }> {
  const args = ['--config-file', CONFIG, 'run', `${baseUrl}/docs-json`, '--max-examples', MAX_EXAMPLES, '--seed', SEED, '--workers', '1', '--no-shrink', ...extra];
  const child = spawn(schemathesis.bin, args, {
    env: { ...process.env, PYTHONPATH: [schemathesis.site, process.env.PYTHONPATH].filter(Boolean).join(':'), NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The summary at the end of schemathesis' output, for the test log. */
const summary = (output: string): string => output.split('\n').filter((l) => /passed|failed|errors?|skipped|Test cases|operations/i.test(l)).slice(-8).join('\n');

describe('schemathesis, the full check set over the OpenAPI document', () => {
  test('with the API key: no failure of any class', async () => {
    const { code, output } = await run(['--header', `x-api-key:${API_KEY}`]);
    console.log(summary(output));
    assert.equal(code, 0, output);
  });

  test('without the API key: no failure of any class', async () => {
    const { code, output } = await run([]);
    console.log(summary(output));
    assert.equal(code, 0, output);
  });
});
