import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TOOLS } from '../../tools/catalog';
import { describe as describeTool, provision } from '../../tools/provision';
import { envSnapshot, fakeExecutable } from '../helpers/fakeTools';

const run = promisify(execFile);
const restoreEnv = envSnapshot();
const PROVISION = resolve(__dirname, '../../tools/provision.ts');

describe('provision', () => {
  let dir: string;
  let toolsDir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-provision-'));
    toolsDir = join(dir, '.tools');
  });
  afterEach(restoreEnv);
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  test('gives one result per tool, in order, and a failure does not hide the others', async () => {
    process.env.SEAWEEDFS_BIN = await fakeExecutable(join(dir, 'weed'));
    process.env.HELM_BIN = join(dir, 'no-helm');
    const [weed, helm] = await provision(['weed', 'helm'], { toolsDir });
    assert.deepEqual(weed.found, { name: 'weed', path: join(dir, 'weed'), source: 'env' });
    assert.equal(describeTool(weed), `tool weed: ${join(dir, 'weed')} (env)`);
    assert.equal(helm.found, undefined);
    assert.match(describeTool(helm), /^tool helm: NOT AVAILABLE\n.*HELM_BIN=/s);
  });

  test('the command line prints the path alone with --path, and fails on an unknown tool', async () => {
    const weed = await fakeExecutable(join(dir, 'weed'));
    const env = { ...process.env, SEAWEEDFS_BIN: weed };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', PROVISION, '--path', 'weed'], { env });
    assert.equal(stdout, `${weed}\n`);
    await assert.rejects(run(process.execPath, ['--import', 'tsx', PROVISION, 'wget'], { env }), (e: unknown) => {
      assert.equal((e as { code: number }).code, 1);
      assert.ok((e as { stderr: string }).stderr.includes(`unknown tool wget: the tools are ${Object.keys(TOOLS).join(', ')}`));
      return true;
    });
  });
});
