import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { API_KEY, startTestApi, type ErrorBody, type TestApi } from '../helpers/apiApp';

type Payloads = { payloads: { metadata?: Record<string, string>; data?: string }[] };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });
const UI = 'http://localhost:8233';

let api: TestApi;
let plain: TestApi;
before(async () => {
  [api, plain] = await Promise.all([
    startTestApi({ PAYLOAD_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}`, API_CODEC_CORS_ORIGINS: UI }),
    startTestApi(),
  ]);
});
after(async () => {
  await Promise.all([api?.close(), plain?.close()]);
});

describe('codec endpoint (Temporal remote codec protocol)', () => {
  test('encode then decode gives the payloads back; the encoded ones are ciphertext under the key id', async () => {
    const input = { payloads: [jsonPayload({ webhook: 'https://x.test/?token=abc' }), jsonPayload(null)] };
    const encoded = await api.call<Payloads>('POST', '/codec/encode', input);
    assert.equal(encoded.status, 200, encoded.text);
    for (const p of encoded.body.payloads) {
      assert.equal(Buffer.from(p.metadata!.encoding, 'base64').toString(), 'binary/encrypted');
      assert.ok(!Buffer.from(p.data!, 'base64').toString().includes('token'));
    }
    const decoded = await api.call<Payloads>('POST', '/codec/decode', encoded.body);
    assert.equal(decoded.status, 200, decoded.text);
    assert.deepEqual(decoded.body, input);
  });

  test('the key is required, as x-api-key or as the bearer token the CLI\'s --codec-auth sends', async () => {
    const body = { payloads: [jsonPayload(1)] };
    assert.equal((await api.anonymous('POST', '/codec/decode', body)).status, 401);
    assert.equal((await api.anonymous('POST', '/codec/decode', body, { authorization: 'Bearer wrong-key-0123456789' })).status, 401);
    assert.equal((await api.anonymous('POST', '/codec/decode', body, { authorization: `Bearer ${API_KEY}` })).status, 200);
    assert.equal((await api.anonymous('POST', '/codec/decode', body, { authorization: API_KEY })).status, 401, 'only the Bearer scheme');
  });

  test('payloads it cannot decode are a 400 saying why; a malformed body is a 400 naming the field', async () => {
    const foreign = { metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k9') }, data: b64('x'.repeat(40)) };
    const unknownKey = await api.call<ErrorBody>('POST', '/codec/decode', { payloads: [foreign] });
    assert.equal(unknownKey.status, 400);
    assert.match(unknownKey.body.error.message, /key "k9", which is not among the configured keys/);
    const bad = await api.call<ErrorBody>('POST', '/codec/decode', { payloads: [{ data: 'not base64!' }] });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /payloads\.0\.data/);
  });

  test('without PAYLOAD_CODEC_KEYS it is the identity', async () => {
    const input = { payloads: [jsonPayload({ a: 1 })] };
    assert.deepEqual((await plain.call<Payloads>('POST', '/codec/encode', input)).body, input);
    assert.deepEqual((await plain.call<Payloads>('POST', '/codec/decode', input)).body, input);
  });

  test('CORS only for the configured Web UI origin, and only on /codec', async () => {
    const preflight = await api.anonymous('OPTIONS', '/codec/decode', undefined, { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), UI);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/);
    const other = await api.anonymous('OPTIONS', '/codec/decode', undefined, { origin: 'http://evil.test', 'access-control-request-method': 'POST' });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const elsewhere = await api.anonymous('GET', '/runs', undefined, { origin: UI });
    assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
  });

  test('a bad origin list stops the API at start naming the variable', async () => {
    await assert.rejects(startTestApi({ API_CODEC_CORS_ORIGINS: 'http://localhost:8233/path' }), /API_CODEC_CORS_ORIGINS: "http:\/\/localhost:8233\/path" is not an origin/);
  });
});
