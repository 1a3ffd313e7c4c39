import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface CodecKey {
  readonly id: string;
  readonly key: Buffer;
}

export class PayloadCodecError extends Error {
  override readonly name = 'PayloadCodecError';
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : '');

/**
 * AES-256-GCM over each whole payload (its metadata included), so the Temporal history holds no
 * plaintext input, result, memo, heartbeat or signal. The first key encrypts; every key decrypts,
 * which is how keys rotate: add a new key in front, drop an old one once no retained history needs it.
 * The key id is bound as additional authenticated data: a payload cannot be passed off under another key.
 * Payloads that are not ours (started unencrypted, e.g. by a CLI without the codec) pass through.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(private readonly keys: readonly CodecKey[]) {
    if (keys.length === 0) throw new PayloadCodecError('a payload codec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new PayloadCodecError(`key ${id} has ${key.length} bytes, AES-256 needs ${KEY_BYTES}`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /** The key new payloads are encrypted with. */
  get encryptingKeyId(): string {
    return this.keys[0].id;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.seal(payload)));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.keys[0];
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv).setAAD(Buffer.from(id));
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id), [CIPHER_METADATA]: utf8(CIPHER) },
      data: sealed,
    };
  }

  /** Rejects (never throws) on a payload it cannot open, as the SDK expects of a codec. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.open(payload))));
  }

  private open(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]);
    const key = this.byId.get(id);
    if (!key) throw new PayloadCodecError(`payload encrypted with key "${id}", which is not among the configured keys (${[...this.byId.keys()].join(', ')}): add it to PAYLOAD_CODEC_KEYS`);
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadCodecError(`encrypted payload of ${sealed.length} bytes is too short to be ours`);
    const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES)).setAAD(Buffer.from(id));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadCodecError(`payload encrypted with key "${id}" failed authentication: it was altered, or the key's bytes are not the ones it was encrypted with`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
