import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkRegularFile, NotARegularFileError, resolveFileInDataRoot } from '../../activities/adapters/dataRoot';

/** Anything but a regular file in the data root is refused before a read can block on it (issue 15, defect 6). */
describe('non-regular files in the data root', { timeout: 10_000 }, () => {
  let root: string;
  let socketServer: Server;

  before(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'seca-special-')));
    execFileSync('mkfifo', [join(root, 'pipe.csv')]);
    await mkdir(join(root, 'folder.csv'));
    await writeFile(join(root, 'plain.csv'), 'a\n1\n');
    await symlink(join(root, 'pipe.csv'), join(root, 'alias.csv'));
    socketServer = createServer();
    await new Promise<void>((done) => socketServer.listen(join(root, 'sock.csv'), done));
  });
  after(async () => {
    await new Promise((done) => socketServer.close(done));
    await rm(root, { recursive: true, force: true });
  });

  const refused = (requested: string, kind: RegExp) => (error: unknown) =>
    error instanceof NotARegularFileError && error.requested === requested && kind.test(error.message) && error.message.includes(JSON.stringify(requested));

  for (const [name, kind] of [
    ['pipe.csv', /FIFO/],
    ['alias.csv', /FIFO/],
    ['folder.csv', /directory/],
    ['sock.csv', /socket/],
  ] as const) {
    test(`${name} is refused as a ${String(kind)}, naming the path, without hanging`, async () => {
      await assert.rejects(resolveFileInDataRoot(root, name), refused(name, kind));
    });
  }

  test('a FIFO swapped in after the first check is refused when read, without blocking', async () => {
    await assert.rejects(checkRegularFile(join(root, 'pipe.csv'), 'plain.csv'), refused('plain.csv', /FIFO/));
  });

  test('a regular file passes', async () => {
    assert.equal(await resolveFileInDataRoot(root, 'plain.csv'), join(root, 'plain.csv'));
  });

  test('a device reached through the root is refused', async () => {
    await symlink('/dev/zero', join(root, 'zero.csv'));
    await assert.rejects(checkRegularFile(join(root, 'zero.csv'), 'zero.csv'), refused('zero.csv', /device/));
  });
});
