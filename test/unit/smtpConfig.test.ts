import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadWorkerConfig } from '../../worker/config';

/** Asserts the error names `variable` as the one at fault (its line starts with it), not only mentions it. */
function namesVariable(variable: string, reason?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    const line = error.message.split('\n').find((l) => l.trim().startsWith(`${variable}:`));
    assert.ok(line, `"${error.message}" does not name ${variable}`);
    if (reason) assert.match(line, reason);
    return true;
  };
}

describe('SMTP configuration of the worker', () => {
  test('none by default: the worker sends no email', () => {
    assert.equal(loadWorkerConfig({}).smtp, undefined);
  });

  test('SMTP_URL with a sender', () => {
    const { smtp } = loadWorkerConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', SMTP_FROM: 'ml@example.com' });
    assert.deepEqual(smtp, { url: 'smtps://u:p@mail.example.com:465', from: 'ml@example.com', timeoutMs: 30_000 });
  });

  test('host and parts; the port follows the TLS mode unless given', () => {
    const base = { SMTP_HOST: 'mail.example.com', SMTP_FROM: 'ml@example.com' };
    assert.deepEqual(loadWorkerConfig(base).smtp, { host: 'mail.example.com', port: 587, tls: 'starttls', user: undefined, password: undefined, from: 'ml@example.com', timeoutMs: 30_000 });
    assert.equal(loadWorkerConfig({ ...base, SMTP_TLS: 'implicit' }).smtp?.port, 465);
    const full = loadWorkerConfig({ ...base, SMTP_PORT: '2525', SMTP_TLS: 'none', SMTP_USER: 'u', SMTP_PASSWORD: 'p', SMTP_TIMEOUT_MS: '5000' }).smtp;
    assert.deepEqual(full, { host: 'mail.example.com', port: 2525, tls: 'none', user: 'u', password: 'p', from: 'ml@example.com', timeoutMs: 5_000 });
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['SMTP_URL', { SMTP_URL: 'http://mail.example.com', SMTP_FROM: 'ml@example.com' }, /smtp:\/\/ or smtps:\/\//],
    ['SMTP_URL', { SMTP_URL: 'not a url', SMTP_FROM: 'ml@example.com' }, /smtp/],
    ['SMTP_FROM', { SMTP_URL: 'smtp://mail.example.com' }, /required/],
    ['SMTP_FROM', { SMTP_HOST: 'mail.example.com', SMTP_FROM: 'not-an-address' }, /email/i],
    ['SMTP_FROM', { SMTP_FROM: 'ml@example.com' }, /without SMTP_URL or SMTP_HOST/],
    ['SMTP_HOST', { SMTP_URL: 'smtp://a.example.com', SMTP_HOST: 'b.example.com', SMTP_FROM: 'ml@example.com' }, /not both/],
    ['SMTP_PORT', { SMTP_HOST: 'mail.example.com', SMTP_PORT: '70000', SMTP_FROM: 'ml@example.com' }, /65535/],
    ['SMTP_PORT', { SMTP_PORT: '25' }, /without SMTP_HOST/],
    ['SMTP_PORT', { SMTP_URL: 'smtp://mail.example.com', SMTP_PORT: '25', SMTP_FROM: 'ml@example.com' }, /in the URL/],
    ['SMTP_TLS', { SMTP_HOST: 'mail.example.com', SMTP_TLS: 'yes', SMTP_FROM: 'ml@example.com' }, /implicit|starttls|none/],
    ['SMTP_PASSWORD', { SMTP_HOST: 'mail.example.com', SMTP_USER: 'u', SMTP_FROM: 'ml@example.com' }, /go together/],
    ['SMTP_USER', { SMTP_HOST: 'mail.example.com', SMTP_PASSWORD: 'p', SMTP_FROM: 'ml@example.com' }, /go together/],
    ['SMTP_TIMEOUT_MS', { SMTP_TIMEOUT_MS: '5' }, /100/],
  ];
  for (const [variable, env, reason] of bad) {
    test(`${JSON.stringify(env)} is a ConfigError naming ${variable}`, () => {
      assert.throws(() => loadWorkerConfig(env), namesVariable(variable, reason));
    });
  }

  test('the password is not in the error', () => {
    assert.throws(
      () => loadWorkerConfig({ SMTP_HOST: 'mail.example.com', SMTP_PASSWORD: 'hunter2-secret', SMTP_FROM: 'ml@example.com' }),
      (error: unknown) => error instanceof ConfigError && !error.message.includes('hunter2-secret'),
    );
  });
});
