import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runStep } from '../../activities/failures';
import { InvalidSecretError, ParamValue, SecretNotFoundError, SecretStore, secretEnvName, usingSecrets } from '../../activities/adapters/secrets';
import { FAILURE_TYPES } from '../../contract';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { assertNonRetryable, rejectionOf } from '../helpers/activities';
import { tempFiles, type TempFiles } from '../helpers/tempFiles';

describe('SecretStore', () => {
  let files: TempFiles;
  let dir: string;
  before(async () => {
    files = await tempFiles('secrets-');
    dir = join(files.dir, 'secrets');
    await mkdir(dir);
    await writeFile(join(dir, 'HOOK'), 'https://hooks.example.com/T0K3N\n');
    await writeFile(join(dir, 'crlf'), 'value-with-crlf\r\n');
    await writeFile(join(files.dir, 'outside'), 'not a secret of the folder');
    await symlink(join(files.dir, 'outside'), join(dir, 'escape'));
    // As a Kubernetes Secret volume mounts them: NAME -> ..data/NAME, ..data -> a timestamped folder.
    await mkdir(join(dir, '..2026_01_01_00_00_00.1'));
    await writeFile(join(dir, '..2026_01_01_00_00_00.1', 'k8s.token'), 'from-the-volume\n');
    await symlink('..2026_01_01_00_00_00.1', join(dir, '..data'));
    await symlink(join('..data', 'k8s.token'), join(dir, 'k8s.token'));
    await mkdir(join(dir, 'folder'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
  });
  after(() => files.remove());

  test('the folder comes first, then MLP_SECRET_<NAME>; a trailing newline is trimmed', async () => {
    const store = new SecretStore({ dir, env: { MLP_SECRET_HOOK: 'https://from-env.example.com/', MLP_SECRET_ONLY_ENV: 'env-value' } });
    assert.equal(await store.resolve('secret://HOOK'), 'https://hooks.example.com/T0K3N');
    assert.equal(await store.resolve('secret://crlf'), 'value-with-crlf');
    assert.equal(await store.resolve('secret://only-env'), 'env-value');
    assert.equal(await store.resolve('secret://k8s.token'), 'from-the-volume', 'a symlink that stays in the folder is followed');
  });

  test('without a folder, the environment alone', async () => {
    const store = new SecretStore({ env: { MLP_SECRET_A_B_C: 'abc' } });
    assert.equal(await store.resolve('secret://a.b-c'), 'abc');
    assert.equal(secretEnvName('my.hook-1'), 'MLP_SECRET_MY_HOOK_1');
  });

  test('a missing secret is a non-retryable SecretNotFoundError naming the reference and where it looked', async () => {
    const store = new SecretStore({ dir, env: { MLP_SECRET_OTHER: 'x' } });
    const error = await rejectionOf(store.resolve('secret://missing.one'));
    assert.ok(error instanceof SecretNotFoundError, String(error));
    assert.equal(error.retryable, false);
    assert.match(error.message, /secret:\/\/missing\.one/);
    assert.ok(error.message.includes(`SECRETS_DIR (${dir})`), error.message);
    assert.match(error.message, /MLP_SECRET_MISSING_ONE/);
    const failure = assertNonRetryable(await rejectionOf(runStep(() => store.resolve('secret://missing.one'))), FAILURE_TYPES.SecretNotFoundError);
    assert.match(failure.message, /secret:\/\/missing\.one/);
    const envOnly = await rejectionOf(new SecretStore({ env: {} }).resolve('secret://X'));
    assert.ok(envOnly instanceof SecretNotFoundError && !envOnly.message.includes('SECRETS_DIR'), String(envOnly));
  });

  test('a name with ../ or a slash is refused, and so is a symlink leaving the folder', async () => {
    const store = new SecretStore({ dir, env: {} });
    for (const ref of ['secret://../outside', 'secret://a/b', 'secret://..data', 'secret://']) {
      const error = await rejectionOf(store.resolve(ref));
      assert.ok(error instanceof InvalidSecretError, `${ref}: ${String(error)}`);
      assert.equal(error.retryable, false);
    }
    const escape = await rejectionOf(store.resolve('secret://escape'));
    assert.ok(escape instanceof InvalidSecretError && /outside SECRETS_DIR/.test(escape.message), String(escape));
    assert.ok(!escape.message.includes('not a secret of the folder'));
  });

  test('only regular files: a folder or a FIFO is refused, without blocking', async () => {
    const store = new SecretStore({ dir, env: {} });
    for (const name of ['folder', 'fifo']) {
      const error = await rejectionOf(store.resolve(`secret://${name}`));
      assert.ok(error instanceof InvalidSecretError && /not a regular file/.test(error.message), String(error));
    }
  });
});

describe('ParamValue: a resolved value is checked like a literal and never shows', () => {
  const store = new SecretStore({ env: { MLP_SECRET_HOOK: 'https://user:pa55@hooks.example.com/services/T0K3N?sig=abc123', MLP_SECRET_FTP: 'ftp://example.com/x' } });

  test('a literal is used as it is, a reference as its value', async () => {
    const literal = await ParamValue.webhook('https://example.com/hook', store);
    assert.deepEqual([literal.value, literal.ref, literal.shown], ['https://example.com/hook', undefined, 'https://example.com/hook']);
    const secret = await ParamValue.webhook('secret://HOOK', store);
    assert.deepEqual([secret.value, secret.shown], ['https://user:pa55@hooks.example.com/services/T0K3N?sig=abc123', 'secret://HOOK']);
  });

  test('a webhook secret must hold an http(s) URL', async () => {
    const error = await rejectionOf(ParamValue.webhook('secret://FTP', store));
    assert.ok(error instanceof InvalidSecretError && /http\(s\) URL/.test(error.message), String(error));
    assert.ok(!error.message.includes('ftp://'), error.message);
  });

  test('errors thrown while the value is in use name the reference, in message, stack, fields and causes', async () => {
    const secret = await ParamValue.webhook('secret://HOOK', store);
    const cause = Object.assign(new Error('connect to /services/T0K3N refused'), { input: secret.value });
    const error = await rejectionOf(
      usingSecrets([secret], () => Promise.reject(Object.assign(new Error(`POST ${new URL(secret.value).origin}/services/T0K3N failed: ${secret.value}`, { cause }), { url: secret.value }))),
    );
    const everything = JSON.stringify([String(error), (error as Error).stack, { ...(error as object) }, String(cause), cause.stack, { ...cause }]);
    for (const leak of ['T0K3N', 'pa55', 'abc123']) assert.ok(!everything.includes(leak), `${leak} leaked: ${everything}`);
    assert.match((error as Error).message, /secret:\/\/HOOK/);
  });
});

describe('SECRETS_DIR in the worker configuration', () => {
  let files: TempFiles;
  before(async () => {
    files = await tempFiles('secrets-config-');
  });
  after(() => files.remove());

  test('unset by default; a folder is taken as an absolute path', () => {
    assert.equal(loadWorkerConfig({}).secretsDir, undefined);
    assert.equal(loadWorkerConfig({ SECRETS_DIR: files.dir }).secretsDir, files.dir);
  });

  test('a folder that does not exist, or a file, stops the start naming the variable', async () => {
    const file = await files.write('not-a-folder', 'x');
    for (const [value, why] of [
      [join(files.dir, 'nope'), /does not exist/],
      [file, /not a directory/],
    ] as const) {
      assert.throws(
        () => loadWorkerConfig({ SECRETS_DIR: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('SECRETS_DIR') && why.test(error.message),
      );
    }
  });
});
