import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanStaleScratch, makeScratchFolder, STALE_SCRATCH_MS } from '../../activities/scratch';

/** Scratch folders of crashed workers are removed at worker start, and nothing else (issue 15, defect 14). */
describe('stale scratch folders', () => {
  let dir: string;
  let deadPid: number;
  const old = (Date.now() - 2 * STALE_SCRATCH_MS) / 1000;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seca-scratch-'));
    // A pid that certainly belonged to a process that has exited.
    deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('only old folders of ours whose process is dead are removed', async () => {
    const dead = join(dir, `mlp-ingest-${deadPid}-abcDEF`);
    const deadButRecent = join(dir, `mlp-ingest-${deadPid}-recent`);
    const live = join(dir, `mlp-ingest-${process.ppid}-ppidXX`);
    const mine = await makeScratchFolder(dir);
    const notOurs = join(dir, 'other-tool-123-abcdef');
    for (const folder of [dead, deadButRecent, live, notOurs]) await mkdir(folder);
    await mkdir(join(dead, 'nested'));
    for (const folder of [dead, live, mine, notOurs]) await utimes(folder, old, old);
    assert.match(basename(mine), new RegExp(`^mlp-ingest-${process.pid}-`));

    assert.deepEqual(await cleanStaleScratch(dir), [dead]);
    assert.deepEqual((await readdir(dir)).sort(), [basename(deadButRecent), basename(live), basename(mine), basename(notOurs)].sort());
  });
});
