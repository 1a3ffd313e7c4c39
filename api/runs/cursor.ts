import { createHash } from 'node:crypto';
import { BadRequestError } from '../common/errors';

const TAG_BYTES = 8;
const DOMAIN = 'mlp-list-cursor-v1';

const tagOf = (token: Uint8Array): Buffer => createHash('sha256').update(DOMAIN).update(token).digest().subarray(0, TAG_BYTES);

/**
 * A list cursor is Temporal's page token with a checksum, base64url-encoded. The checksum is why:
 * a garbage token sent to the dev server's visibility store fails with gRPC UNKNOWN, which the
 * client retries, so `GET /runs?cursor=<garbage>` hung instead of answering (schemathesis found
 * it). Only tokens this API gave out reach Temporal; it is no secret, any replica can check it.
 */
export function encodeCursor(token: Uint8Array): string {
  return Buffer.concat([Buffer.from(token), tagOf(token)]).toString('base64url');
}

export function decodeCursor(cursor: string): Uint8Array {
  const bytes = Buffer.from(cursor, 'base64url');
  const token = bytes.subarray(0, bytes.length - TAG_BYTES);
  if (bytes.length <= TAG_BYTES || !tagOf(token).equals(bytes.subarray(bytes.length - TAG_BYTES))) {
    throw new BadRequestError('cursor is not a cursor this API gave out');
  }
  return token;
}
