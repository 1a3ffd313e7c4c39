import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runKey } from '../../contract';
import { LocalArtifactStore } from '../../storage/localArtifactStore';
import { patternChunks } from '../helpers/storeContract';

const API_KEY = 'download-test-key-0123456789';
const MiB = 1024 * 1024;
const SIZE = 200 * MiB;
const PARALLEL = 8;
/** Generous: buffering even one 200 MiB body breaks it; streaming grows by socket buffers and chunks. */
const MAX_GROWTH = 150 * MiB;

type Ready = { baseUrl: string; runId: string };

function ask(child: ChildProcess): Promise<number> {
  const answer = once(child, 'message') as Promise<[{ rss: number }]>;
  child.send('rss');
  return answer.then(([m]) => m.rss);
}

/** Downloads one URL to its end, counting bytes and reading slowly enough that backpressure is real. */
async function download(url: string): Promise<number> {
  const res = await fetch(url, { headers: { 'x-api-key': API_KEY } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String(SIZE));
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  return bytes;
}

describe('artifact downloads', () => {
  let dir: string;
  let child: ChildProcess;
  let ready: Ready;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-downloads-'));
    child = fork(join(__dirname, '../helpers/apiProcess.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, API_KEY, ARTIFACT_ROOT: join(dir, 'artifacts'), HOST: '127.0.0.1', PORT: '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    ready = ((await once(child, 'message')) as [Ready])[0];
    const store = new LocalArtifactStore(join(dir, 'artifacts'));
    await store.putStream(runKey({ pipeline: 'big', workflowId: 'ml-big', runId: ready.runId }, 'ingested', 'table.bin'), patternChunks(SIZE, MiB));
  });
  after(async () => {
    child?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  test(`${PARALLEL} parallel downloads of a 200 MiB artifact keep the API's RSS growth bounded`, async () => {
    const url = `${ready.baseUrl}/runs/ml-big/artifacts/ingested/table.bin`;
    await download(url); // warm-up: code paths loaded, so the figure is the downloads' own cost
    const baseline = await ask(child);
    let peak = baseline;
    const sampler = setInterval(() => {
      void ask(child).then((rss) => {
        peak = Math.max(peak, rss);
      });
    }, 50);
    try {
      const sizes = await Promise.all(Array.from({ length: PARALLEL }, () => download(url)));
      assert.deepEqual(sizes, new Array<number>(PARALLEL).fill(SIZE));
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, await ask(child));
    const growth = peak - baseline;
    console.log(`# API RSS: baseline ${(baseline / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, growth ${(growth / MiB).toFixed(1)} MiB over ${PARALLEL} x ${SIZE / MiB} MiB downloads`);
    assert.ok(growth < MAX_GROWTH, `RSS grew by ${(growth / MiB).toFixed(1)} MiB`);
  });
});
