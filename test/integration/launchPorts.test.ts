import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withoutTemporalSettings } from '../helpers/isolatedEnv';
import { freePort } from '../helpers/ports';
import { tempFiles, type TempFiles } from '../helpers/tempFiles';

const ROOT = resolve(__dirname, '../..');
const STARTUP_MS = 120_000;

interface Launched {
  readonly child: ChildProcess;
  output(): string;
  /** The exit code, or the signal that ended it. */
  readonly exit: Promise<number | NodeJS.Signals>;
}

/** `npm <args>` in its own process group, so a signal reaches every process of it, as Ctrl-C does. */
function npm(args: string[], env: NodeJS.ProcessEnv): Launched {
  const child = spawn('npm', args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exit = once(child, 'exit').then(([code, signal]) => (code as number | null) ?? (signal as NodeJS.Signals));
  return { child, output: () => out, exit };
}

async function waitFor(launched: Launched, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(launched.output());
    if (match) return match;
    if (launched.child.exitCode !== null || Date.now() > deadline) assert.fail(`never printed ${pattern} (exit ${launched.child.exitCode}):\n${launched.output()}`);
    await sleep(200);
  }
}

/** `promise`, or a failure naming `what` after `ms` (the timer does not hold the test process open). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

let files: TempFiles;
let ports: Record<'temporal' | 'ui' | 'api' | 'workerMetrics' | 'sdkMetrics', number>;
let env: NodeJS.ProcessEnv;
let stack: Launched | undefined;

before(async () => {
  files = await tempFiles('launch-ports-');
  ports = { temporal: await freePort(), ui: await freePort(), api: await freePort(), workerMetrics: await freePort(), sdkMetrics: await freePort() };
  env = {
    ...withoutTemporalSettings(),
    TEMPORAL_DEV_PORT: String(ports.temporal),
    TEMPORAL_DEV_UI_PORT: String(ports.ui),
    TEMPORAL_DEV_DB_FILE: join(files.dir, 'temporal.db'),
    PORT: String(ports.api),
    WORKER_METRICS_PORT: String(ports.workerMetrics),
    SDK_METRICS_PORT: String(ports.sdkMetrics),
    ARTIFACT_ROOT: join(files.dir, 'artifacts'),
    LOG_LEVEL: 'WARN',
  };
});
after(async () => {
  if (stack && groupAlive(stack.child.pid!)) process.kill(-stack.child.pid!, 'SIGKILL');
  await files?.remove();
});

describe('npm start and npm run demo on other ports', () => {
  test('npm start serves Temporal, the Web UI, the API and both metrics endpoints on the ports given; the demo finds it there; Ctrl-C stops all of it', { timeout: 300_000 }, async () => {
    stack = npm(['start'], env);
    await waitFor(stack, /Run the example/, STARTUP_MS);
    const printed = stack.output();
    assert.match(printed, new RegExp(`Temporal server\\s+localhost:${ports.temporal} \\(persisted to ${join(files.dir, 'temporal.db')}\\)`));
    assert.match(printed, new RegExp(`Temporal Web UI\\s+http://localhost:${ports.ui}`));
    assert.match(printed, new RegExp(`REST API\\s+http://127\\.0\\.0\\.1:${ports.api}`));

    const health = await fetch(`http://127.0.0.1:${ports.api}/healthz`);
    assert.equal(health.status, 200);
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /<html/i);
    assert.match(await (await fetch(`http://127.0.0.1:${ports.workerMetrics}/metrics`)).text(), /mlp_worker_process_start_time_seconds/);
    assert.match(await (await fetch(`http://127.0.0.1:${ports.sdkMetrics}/metrics`)).text(), /temporal_/);

    // Same variables, another terminal: the demo attaches to this stack instead of starting one.
    const demo = npm(['run', 'demo'], env);
    const code = await within(demo.exit, STARTUP_MS, 'npm run demo').finally(() => {
      if (groupAlive(demo.child.pid!)) process.kill(-demo.child.pid!, 'SIGKILL');
    });
    assert.equal(code, 0, demo.output());
    assert.match(demo.output(), new RegExp(`on the running stack at localhost:${ports.temporal}`));
    assert.match(demo.output(), /deployed/);

    // Ctrl-C: SIGINT to every process of the group (npm, tsx, node, the Temporal dev server).
    const started = Date.now();
    process.kill(-stack.child.pid!, 'SIGINT');
    const exit = await within(stack.exit, 60_000, 'npm start after SIGINT');
    // npm passes Ctrl-C on by ending with the same signal once its script has exited.
    assert.ok(exit === 0 || exit === 'SIGINT', `npm start ended with ${exit}`);
    const pgid = stack.child.pid!;
    await within((async () => { while (groupAlive(pgid)) await sleep(100); })(), 30_000, 'every process of npm start to exit');
    const stopMs = Date.now() - started;
    assert.match(stack.output(), /Stopped: workers, API, Temporal dev server and metrics endpoints\./, `npm start did not finish its shutdown:\n${stack.output()}`);
    for (const [name, port] of Object.entries(ports)) assert.equal(await portOpen(port), false, `${name} port ${port} still open after exit`);
    console.log(`npm start on ports ${JSON.stringify(ports)}: stopped ${stopMs} ms after SIGINT`);
  });

  test('the demo pointed at a Temporal that does not answer says so, instead of starting a local one', { timeout: 120_000 }, async () => {
    const closed = await freePort();
    const demo = npm(['run', 'demo'], { ...env, TEMPORAL_ADDRESS: `127.0.0.1:${closed}` });
    const code = await within(demo.exit, 60_000, 'npm run demo').finally(() => {
      if (groupAlive(demo.child.pid!)) process.kill(-demo.child.pid!, 'SIGKILL');
    });
    assert.equal(code, 1, demo.output());
    assert.match(demo.output(), new RegExp(`cannot connect to Temporal at 127\\.0\\.0\\.1:${closed} \\(namespace default, plaintext\\)`));
    assert.doesNotMatch(demo.output(), /embedded Temporal dev server/);
  });
});
