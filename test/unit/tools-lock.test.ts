import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolLockTimeoutError } from '../../tools/errors';
import { withLock } from '../../tools/lock';

describe('withLock', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-lock-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('callers run one at a time, and the lock is gone afterwards', async () => {
    const lock = join(dir, 'locks/one');
    const events: string[] = [];
    const body = (name: string) => async () => {
      events.push(`${name} in`);
      await sleep(50);
      events.push(`${name} out`);
      return name;
    };
    assert.deepEqual(await Promise.all([withLock(lock, body('a'), { pollMs: 10 }), withLock(lock, body('b'), { pollMs: 10 })]), ['a', 'b']);
    for (let i = 0; i < events.length; i += 2) assert.equal(events[i].split(' ')[0], events[i + 1].split(' ')[0], events.join(', '));
    await assert.rejects(access(lock), { code: 'ENOENT' });
  });

  test('a failing body releases the lock and its error reaches the caller', async () => {
    const lock = join(dir, 'fails');
    await assert.rejects(withLock(lock, () => Promise.reject(new RangeError('install broke'))), RangeError);
    assert.equal(await withLock(lock, () => Promise.resolve('next')), 'next');
  });

  test('a lock left by a dead process is taken over', async () => {
    const lock = join(dir, 'stale');
    // The pid of a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), dead);
    assert.equal(await withLock(lock, () => Promise.resolve('taken'), { timeoutMs: 2_000 }), 'taken');
  });

  test('a live holder is waited for, and told about once', async () => {
    const lock = join(dir, 'held');
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(process.pid));
    const waits: string[] = [];
    const release = sleep(150).then(() => rm(lock, { recursive: true }));
    const started = Date.now();
    assert.equal(await withLock(lock, () => Promise.resolve('after'), { pollMs: 10, onWait: (h) => waits.push(h) }), 'after');
    await release;
    assert.ok(Date.now() - started >= 140);
    assert.deepEqual(waits, [`pid ${process.pid}`]);
  });

  test('a holder that never lets go is a timeout error naming the lock', async () => {
    const lock = join(dir, 'forever');
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(process.pid));
    await assert.rejects(withLock(lock, () => Promise.resolve(), { timeoutMs: 100, pollMs: 10 }), (error: unknown) => {
      assert.ok(error instanceof ToolLockTimeoutError);
      assert.match(error.message, /forever/);
      return true;
    });
  });
});
