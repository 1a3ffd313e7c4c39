import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, isAbsolute } from 'node:path';
import { PathOutsideDataRootError, resolveInDataRoot, SourceNotFoundError } from '../../activities/adapters/dataRoot';

describe('resolveInDataRoot', () => {
  let dir: string;
  let root: string;
  let outside: string;

  const isInside = (p: string): boolean => {
    const rel = relative(root, p);
    return !rel.startsWith('..') && !isAbsolute(rel);
  };

  before(async () => {
    // Real paths, so the expected results compare equal to what realpath() returns.
    dir = await realpath(await mkdtemp(join(tmpdir(), 'mlp-dataroot-')));
    root = join(dir, 'root');
    outside = join(dir, 'outside');
    await mkdir(join(root, 'sub', 'deeper'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(root, 'file.csv'), 'a,b\n1,2\n');
    await writeFile(join(root, 'sub', 'deeper', 'nested.csv'), 'a\n1\n');
    await writeFile(join(outside, 'secret.csv'), 'secret\n');
    await symlink(join(outside, 'secret.csv'), join(root, 'escape.csv'));
    await symlink(join(root, 'file.csv'), join(root, 'sub', 'alias.csv'));
    await symlink(outside, join(root, 'outdir'));
    await symlink(join(root, 'sub'), join(root, 'subalias'));
    await symlink(root, join(dir, 'root-link'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const outsideError = (requested: string) => (error: unknown) => error instanceof PathOutsideDataRootError && error.requested === requested;
  const notFound = (requested: string) => (error: unknown) => error instanceof SourceNotFoundError && error.requested === requested;

  test('a relative file inside the root resolves to its real path', async () => {
    assert.equal(await resolveInDataRoot(root, 'file.csv'), join(root, 'file.csv'));
    assert.equal(await resolveInDataRoot(root, './file.csv'), join(root, 'file.csv'));
  });

  test('a nested file resolves', async () => {
    assert.equal(await resolveInDataRoot(root, 'sub/deeper/nested.csv'), join(root, 'sub', 'deeper', 'nested.csv'));
  });

  test('any ".." segment is refused, even one that lands back inside', async () => {
    for (const requested of ['../outside/secret.csv', 'sub/../file.csv', '..', 'sub/deeper/../../file.csv', 'sub\\..\\file.csv']) {
      await assert.rejects(resolveInDataRoot(root, requested), outsideError(requested), requested);
    }
  });

  test('an absolute path outside the root is refused, whether or not it exists', async () => {
    await assert.rejects(resolveInDataRoot(root, join(outside, 'secret.csv')), outsideError(join(outside, 'secret.csv')));
    await assert.rejects(resolveInDataRoot(root, '/definitely/not/here.csv'), outsideError('/definitely/not/here.csv'));
    // A sibling folder whose name starts with the root's name is not inside it.
    await assert.rejects(resolveInDataRoot(root, `${root}-other/file.csv`), PathOutsideDataRootError);
  });

  test('an absolute path inside the root is accepted', async () => {
    assert.equal(await resolveInDataRoot(root, join(root, 'sub', 'deeper', 'nested.csv')), join(root, 'sub', 'deeper', 'nested.csv'));
  });

  test('an absolute path inside a data root that is given through a symlink is accepted', async () => {
    const linkedRoot = join(dir, 'root-link');
    assert.equal(await resolveInDataRoot(linkedRoot, 'file.csv'), join(root, 'file.csv'));
    assert.equal(await resolveInDataRoot(linkedRoot, join(linkedRoot, 'file.csv')), join(root, 'file.csv'));
    await assert.rejects(resolveInDataRoot(linkedRoot, join(outside, 'secret.csv')), PathOutsideDataRootError);
  });

  test('a symlink inside the root pointing outside is refused', async () => {
    await assert.rejects(resolveInDataRoot(root, 'escape.csv'), outsideError('escape.csv'));
  });

  test('a symlink inside the root pointing inside is accepted and resolved to its target', async () => {
    assert.equal(await resolveInDataRoot(root, 'sub/alias.csv'), join(root, 'file.csv'));
    assert.equal(await resolveInDataRoot(root, 'subalias/deeper/nested.csv'), join(root, 'sub', 'deeper', 'nested.csv'));
  });

  test('a symlinked directory that leaves the root is refused', async () => {
    await assert.rejects(resolveInDataRoot(root, 'outdir/secret.csv'), outsideError('outdir/secret.csv'));
    await assert.rejects(resolveInDataRoot(root, 'outdir'), outsideError('outdir'));
  });

  test('a missing file is SourceNotFoundError', async () => {
    await assert.rejects(resolveInDataRoot(root, 'missing.csv'), notFound('missing.csv'));
    await assert.rejects(resolveInDataRoot(root, 'sub/deeper/missing.csv'), notFound('sub/deeper/missing.csv'));
  });

  test('a NUL byte is refused', async () => {
    await assert.rejects(resolveInDataRoot(root, 'file.csv\0.txt'), PathOutsideDataRootError);
    await assert.rejects(resolveInDataRoot(root, '\0'), PathOutsideDataRootError);
  });

  test('percent-encoding is taken literally and never decoded into ".."', async () => {
    for (const requested of ['%2e%2e/outside/secret.csv', '%2E%2E/%2E%2E/etc/passwd', 'sub/%2e%2e/file.csv', '..%2foutside%2fsecret.csv']) {
      await assert.rejects(resolveInDataRoot(root, requested), (error: unknown) => error instanceof SourceNotFoundError || error instanceof PathOutsideDataRootError, requested);
    }
    await assert.rejects(resolveInDataRoot(root, '%2e%2e/outside/secret.csv'), notFound('%2e%2e/outside/secret.csv'));
  });

  test('a file literally named with percent signs resolves inside the root', async () => {
    await mkdir(join(root, '%2e%2e'));
    await writeFile(join(root, '%2e%2e', 'odd.csv'), 'x\n');
    const resolved = await resolveInDataRoot(root, '%2e%2e/odd.csv');
    assert.equal(resolved, join(root, '%2e%2e', 'odd.csv'));
    assert.ok(isInside(resolved));
  });

  test('the root itself resolves to the root', async () => {
    assert.equal(await resolveInDataRoot(root, '.'), root);
    assert.equal(await resolveInDataRoot(root, ''), root);
  });
});
