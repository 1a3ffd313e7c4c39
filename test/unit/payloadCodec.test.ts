import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { payloadCodecKeys } from '../../connection/codecKeys';
import { AesGcmPayloadCodec, PayloadCodecError } from '../../connection/payloadCodec';
import { loadApiConfig } from '../../api/config';
import { loadWorkerConfig } from '../../worker/config';

const key = () => randomBytes(32);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const params = { pipeline: 'iris', notifications: { webhooks: ['https://hooks.example.com/x?token=s3cr3t'] } };

describe('AES-GCM payload codec', () => {
  test('encrypts each payload whole (metadata too) and decodes it back exactly', async () => {
    const codec = new AesGcmPayloadCodec([{ id: 'k1', key: key() }]);
    const plain = [defaultPayloadConverter.toPayload(params), defaultPayloadConverter.toPayload(null), defaultPayloadConverter.toPayload(new Uint8Array([1, 2, 3]))];
    const sealed = await codec.encode(plain);
    for (const p of sealed) {
      assert.equal(text(p.metadata?.encoding), 'binary/encrypted');
      assert.equal(text(p.metadata?.['encryption-key-id']), 'k1');
      assert.ok(!text(p.data).includes('s3cr3t') && !text(p.data).includes('json/plain'));
    }
    assert.notDeepEqual(sealed[0].data, (await codec.encode([plain[0]]))[0].data, 'a fresh IV each time');
    const opened = await codec.decode(sealed);
    assert.deepEqual(opened.map((p) => defaultPayloadConverter.fromPayload(p)), [params, null, new Uint8Array([1, 2, 3])]);
  });

  test('rotation: the first key encrypts, every key decrypts; a retired key can no longer read', async () => {
    const old = { id: 'old', key: key() };
    const fresh = { id: 'new', key: key() };
    const before = await new AesGcmPayloadCodec([old]).encode([defaultPayloadConverter.toPayload(params)]);
    const ring = new AesGcmPayloadCodec([fresh, old]);
    assert.deepEqual(defaultPayloadConverter.fromPayload((await ring.decode(before))[0]), params);
    const after = await ring.encode([defaultPayloadConverter.toPayload(params)]);
    assert.equal(text(after[0].metadata?.['encryption-key-id']), 'new');
    await assert.rejects(new AesGcmPayloadCodec([fresh]).decode(before), (e: Error) => e instanceof PayloadCodecError && /key "old", which is not among the configured keys \(new\)/.test(e.message));
  });

  test('altered data, a swapped key id or a wrong key fail authentication instead of decoding garbage', async () => {
    const a = { id: 'a', key: key() };
    const b = { id: 'b', key: key() };
    const [sealed] = await new AesGcmPayloadCodec([a]).encode([defaultPayloadConverter.toPayload(params)]);
    const flipped: Payload = { ...sealed, data: Buffer.from(sealed.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    const relabelled: Payload = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('b') } };
    const both = new AesGcmPayloadCodec([a, b]);
    await assert.rejects(both.decode([flipped]), /failed authentication/);
    await assert.rejects(both.decode([relabelled]), /failed authentication/);
    await assert.rejects(new AesGcmPayloadCodec([{ id: 'a', key: key() }]).decode([sealed]), /failed authentication/);
    await assert.rejects(both.decode([{ ...sealed, data: new Uint8Array(5) }]), /too short/);
  });

  test('payloads that are not encrypted pass through (a run started by a CLI without the codec)', async () => {
    const codec = new AesGcmPayloadCodec([{ id: 'k', key: key() }]);
    const plain = defaultPayloadConverter.toPayload(params);
    assert.deepEqual(await codec.decode([plain]), [plain]);
  });
});

describe('PAYLOAD_CODEC_KEYS', () => {
  test('parses a key ring; the first key encrypts', () => {
    const codec = payloadCodecKeys.parse(`k2:${key().toString('base64')}, k1:${key().toString('base64')}`);
    assert.equal(codec.encryptingKeyId, 'k2');
  });

  test('a bad ring stops the worker and the API at start, naming the variable and the entry, never the key', () => {
    const short = randomBytes(16).toString('base64');
    const good = key().toString('base64');
    for (const [value, reason] of [
      [`k1:${short}`, /PAYLOAD_CODEC_KEYS: key k1: expected 32 bytes in base64/],
      [good, /PAYLOAD_CODEC_KEYS: entry 1: expected id:base64key/],
      [`k1:${good},k1:${good}`, /PAYLOAD_CODEC_KEYS: entry 2: key id k1 appears twice/],
      [`k1:not base64!`, /PAYLOAD_CODEC_KEYS: key k1: expected 32 bytes/],
      ['', /PAYLOAD_CODEC_KEYS: is set but empty/],
    ] as const) {
      for (const load of [() => loadWorkerConfig({ PAYLOAD_CODEC_KEYS: value }), () => loadApiConfig({ PAYLOAD_CODEC_KEYS: value })]) {
        assert.throws(load, (e: Error) => reason.test(e.message) && !e.message.includes(short) && !e.message.includes(good), value);
      }
    }
  });

  test('set: worker and API share one data converter with the codec, and say so without the key; unset: none', () => {
    const material = key().toString('base64');
    const config = loadWorkerConfig({ PAYLOAD_CODEC_KEYS: `prod-2026:${material}` });
    assert.equal(config.temporal.dataConverter.payloadCodecs?.length, 1);
    assert.match(config.temporal.summary, /payloads encrypted with key prod-2026/);
    assert.ok(!config.temporal.summary.includes(material));
    assert.deepEqual(loadApiConfig({}).temporal.dataConverter, {});
  });
});
