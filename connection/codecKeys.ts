import { z } from 'zod';
import { AesGcmPayloadCodec, KEY_BYTES, type CodecKey } from './payloadCodec';

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What is wrong with one `id:base64key` entry, never echoing the key material; undefined when it is fine. */
function entryProblem(index: number, id: string, encoded: string, seen: readonly CodecKey[]): string | undefined {
  if (!KEY_ID.test(id)) return `entry ${index + 1}: expected id:base64key with an id of letters, digits, . _ - (e.g. k2026:...)`;
  if (seen.some((k) => k.id === id)) return `entry ${index + 1}: key id ${id} appears twice`;
  if (!BASE64.test(encoded) || Buffer.from(encoded, 'base64').length !== KEY_BYTES) return `key ${id}: expected ${KEY_BYTES} bytes in base64 (openssl rand -base64 ${KEY_BYTES})`;
  return undefined;
}

/**
 * PAYLOAD_CODEC_KEYS: `id:base64key[,id:base64key...]`, each key 32 random bytes
 * (`openssl rand -base64 32`). The first encrypts, all decrypt. Unset: payloads are not encrypted.
 */
export const payloadCodecKeys = z
  .string()
  .min(1, 'is set but empty: unset it or give id:base64key pairs')
  .transform((value, ctx) => {
    const keys: CodecKey[] = [];
    const problems: string[] = [];
    for (const [index, entry] of value.split(',').map((e) => e.trim()).entries()) {
      const at = entry.indexOf(':');
      const id = at < 0 ? '' : entry.slice(0, at);
      const encoded = at < 0 ? '' : entry.slice(at + 1);
      const problem = entryProblem(index, id, encoded, keys);
      if (problem) problems.push(problem);
      else keys.push({ id, key: Buffer.from(encoded, 'base64') });
    }
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return problems.length > 0 ? z.NEVER : new AesGcmPayloadCodec(keys);
  });
