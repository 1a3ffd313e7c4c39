import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiConfigError, loadApiConfig } from '../../api/config';
import { temporalEnvSchema, type TemporalConfig } from '../../connection/temporalEnv';
import { ConfigError, loadWorkerConfig } from '../../worker/config';
import { makeTestPki, type TestPki } from '../helpers/certificates';
import { tempFiles, type TempFiles } from '../helpers/tempFiles';

let pki: TestPki;
let files: TempFiles;
let pem: { ca: string; cert: string; key: string };

before(async () => {
  [pki, files] = await Promise.all([makeTestPki(), tempFiles('temporal-env-')]);
  pem = { ca: (await pki.read(pki.caCert)).toString(), cert: (await pki.read(pki.clientCert)).toString(), key: (await pki.read(pki.clientKey)).toString() };
});
after(async () => {
  await pki?.remove();
  await files?.remove();
});

function load(env: NodeJS.ProcessEnv, defaults?: { address?: string }): TemporalConfig {
  const parsed = temporalEnvSchema(defaults).safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}

/** The variables named by the issues, and their messages, for one bad environment. */
function issues(env: NodeJS.ProcessEnv): { variables: string[]; text: string } {
  const parsed = temporalEnvSchema().safeParse(env);
  assert.equal(parsed.success, false, `expected ${JSON.stringify(env)} to be refused`);
  const list = parsed.error.issues;
  return { variables: list.map((i) => i.path.join('.')), text: list.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') };
}

const bytes = (s: string) => Uint8Array.from(Buffer.from(s));

describe('Temporal connection settings (SDK environment configuration)', () => {
  test('nothing set: plaintext to localhost:7233, namespace default', () => {
    assert.deepEqual(load({}), { address: 'localhost:7233', namespace: 'default', connection: { address: 'localhost:7233' }, dataConverter: {}, summary: 'localhost:7233 (namespace default, plaintext)' });
  });

  test('a launcher can give another default address; TEMPORAL_ADDRESS still wins', () => {
    assert.equal(load({}, { address: 'localhost:17233' }).address, 'localhost:17233');
    assert.equal(load({ TEMPORAL_ADDRESS: 'temporal:7233' }, { address: 'localhost:17233' }).address, 'temporal:7233');
  });

  test('an API key turns TLS on with the system roots (Temporal Cloud) and is never in the summary', () => {
    const config = load({ TEMPORAL_ADDRESS: 'ns.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.a1b2c', TEMPORAL_API_KEY: 'secret-key' });
    assert.deepEqual(config.connection, { address: 'ns.a1b2c.tmprl.cloud:7233', tls: true, apiKey: 'secret-key' });
    assert.equal(config.namespace, 'ns.a1b2c');
    assert.equal(config.summary, 'ns.a1b2c.tmprl.cloud:7233 (namespace ns.a1b2c, TLS, API key)');
    assert.doesNotMatch(config.summary, /secret/);
  });

  test('TEMPORAL_TLS=false keeps an API key on a plaintext connection (a TLS-terminating proxy in front)', () => {
    assert.deepEqual(load({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).connection, { address: 'localhost:7233', tls: false, apiKey: 'k' });
  });

  test('server CA and name from files: TLS with that CA; a client certificate and key make it mTLS', async () => {
    const tls = load({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    assert.deepEqual(tls.connection.tls, { serverNameOverride: 'temporal.internal', serverRootCACertificate: Uint8Array.from(await pki.read(pki.caCert)), clientCertPair: undefined });
    assert.match(tls.summary, /, TLS\)$/);
    const mtls = load({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey });
    const pair = typeof mtls.connection.tls === 'object' ? mtls.connection.tls.clientCertPair : undefined;
    assert.deepEqual(pair, { crt: Uint8Array.from(await pki.read(pki.clientCert)), key: Uint8Array.from(await pki.read(pki.clientKey)) });
    assert.match(mtls.summary, /, mTLS\)$/);
  });

  test('the same material as PEM text in *_DATA variables (secrets injected as values)', () => {
    const config = load({ TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem.ca, TEMPORAL_TLS_CLIENT_CERT_DATA: pem.cert, TEMPORAL_TLS_CLIENT_KEY_DATA: pem.key });
    assert.deepEqual(config.connection.tls, { serverNameOverride: undefined, serverRootCACertificate: bytes(pem.ca), clientCertPair: { crt: bytes(pem.cert), key: bytes(pem.key) } });
  });

  test('a profile of TEMPORAL_CONFIG_FILE, chosen by TEMPORAL_PROFILE, with the variables overriding it', async () => {
    const file = await files.write(
      'profiles.toml',
      [
        '[profile.default]',
        'address = "localhost:7233"',
        '[profile.prod]',
        'address = "temporal.prod:7233"',
        'namespace = "ml"',
        'api_key = "from-file"',
        '[profile.prod.tls]',
        `server_ca_cert_path = "${pki.caCert}"`,
        `client_cert_path = "${pki.clientCert}"`,
        `client_key_path = "${pki.clientKey}"`,
        '[profile.prod.grpc_meta]',
        'x-team = "ml"',
        '',
      ].join('\n'),
    );
    const prod = load({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    assert.equal(prod.address, 'temporal.prod:7233');
    assert.equal(prod.namespace, 'ml');
    assert.equal(prod.connection.apiKey, 'from-file');
    assert.deepEqual(prod.connection.metadata, { 'x-team': 'ml' });
    assert.equal(prod.summary, 'temporal.prod:7233 (namespace ml, mTLS, API key, profile prod)');
    const overridden = load({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'ml-staging', TEMPORAL_API_KEY: 'from-env' });
    assert.equal(overridden.namespace, 'ml-staging');
    assert.equal(overridden.connection.apiKey, 'from-env');
    assert.equal(load({ TEMPORAL_CONFIG_FILE: file }).connection.tls, undefined);
  });

  test("the Temporal CLI's default file is read when TEMPORAL_CONFIG_FILE is unset", async () => {
    await mkdir(join(files.dir, 'xdg', 'temporalio'), { recursive: true });
    await writeFile(join(files.dir, 'xdg', 'temporalio', 'temporal.toml'), '[profile.default]\naddress = "from-default-file:7233"\n');
    assert.equal(load({ XDG_CONFIG_HOME: join(files.dir, 'xdg') }).address, 'from-default-file:7233');
  });

  test('TEMPORAL_GRPC_META_* variables become request headers', () => {
    assert.deepEqual(load({ TEMPORAL_GRPC_META_X_TENANT: 'acme' }).connection.metadata, { 'x-tenant': 'acme' });
  });

  const bad: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['TEMPORAL_TLS', { TEMPORAL_TLS: 'yes' }, /true, false, 1 or 0/],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal.example.com' }, /host:port/],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'localhost:99999' }, /host:port/],
    ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: '' }, /empty/],
    ['TEMPORAL_NAMESPACE', { TEMPORAL_NAMESPACE: '' }, /empty/],
    ['TEMPORAL_API_KEY', { TEMPORAL_API_KEY: '' }, /empty/],
    ['TEMPORAL_CONFIG_FILE', { TEMPORAL_CONFIG_FILE: '/no/such/temporal.toml' }, /no such file/],
    ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/no/such/ca.pem' }, /no such file/],
    ['TEMPORAL_TLS_CLIENT_CERT_DATA', { TEMPORAL_TLS_CLIENT_CERT_DATA: 'not pem', TEMPORAL_TLS_CLIENT_KEY_DATA: 'not pem either' }, /PEM/],
    ['TEMPORAL_TLS_DISABLE_HOST_VERIFICATION', { TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' }, /not supported/],
  ];
  for (const [variable, env, message] of bad) {
    test(`${JSON.stringify(env)} is refused naming ${variable}`, () => {
      const found = issues(env);
      assert.ok(found.variables.includes(variable), found.text);
      assert.match(found.text, message);
    });
  }

  test('a file that is not a certificate, or a key that is not a key, is refused naming its variable', async () => {
    const notCert = await files.write('not-a-cert.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.deepEqual(issues({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: notCert }).variables, ['TEMPORAL_TLS_SERVER_CA_CERT_PATH']);
    assert.deepEqual(issues({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientCert }).variables, ['TEMPORAL_TLS_CLIENT_KEY_PATH']);
  });

  test('a client certificate without its key (or the reverse) is refused, not sent as plain TLS', () => {
    assert.deepEqual(issues({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert }).variables, ['TEMPORAL_TLS_CLIENT_KEY_PATH']);
    assert.deepEqual(issues({ TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey }).variables, ['TEMPORAL_TLS_CLIENT_CERT_PATH']);
  });

  test('a path and data for the same piece is refused', () => {
    const found = issues({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_TLS_SERVER_CA_CERT_DATA: pem.ca });
    assert.deepEqual(found.variables, ['TEMPORAL_TLS_SERVER_CA_CERT_PATH']);
    assert.match(found.text, /either/);
  });

  test('an unknown profile names TEMPORAL_PROFILE and the file; broken TOML or a profile path that is gone names TEMPORAL_CONFIG_FILE', async () => {
    const file = await files.write('one.toml', '[profile.default]\naddress = "a:1"\n');
    const unknown = issues({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    assert.deepEqual(unknown.variables, ['TEMPORAL_PROFILE']);
    assert.match(unknown.text, /prod.*one\.toml/);
    const broken = await files.write('broken.toml', '[profile.default\naddress = ');
    assert.deepEqual(issues({ TEMPORAL_CONFIG_FILE: broken }).variables, ['TEMPORAL_CONFIG_FILE']);
    const gone = await files.write('gone.toml', '[profile.default.tls]\nserver_ca_cert_path = "/no/such/ca.pem"\n');
    const missing = issues({ TEMPORAL_CONFIG_FILE: gone });
    assert.deepEqual(missing.variables, ['TEMPORAL_CONFIG_FILE']);
    assert.match(missing.text, /\/no\/such\/ca\.pem/);
  });

  test('the worker and the API read the same settings and report bad ones with their own', () => {
    const env = { TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert };
    assert.deepEqual(loadApiConfig(env).temporal.connection, loadWorkerConfig(env).temporal.connection);
    assert.throws(
      () => loadWorkerConfig({ TEMPORAL_TLS: 'yes', LOG_LEVEL: 'loud' }),
      (e: unknown) => e instanceof ConfigError && /TEMPORAL_TLS: /.test(e.message) && /LOG_LEVEL: /.test(e.message),
    );
    assert.throws(
      () => loadApiConfig({ TEMPORAL_ADDRESS: 'nohost', PORT: 'x' }),
      (e: unknown) => e instanceof ApiConfigError && /TEMPORAL_ADDRESS: /.test(e.message) && /PORT: /.test(e.message),
    );
  });
});
