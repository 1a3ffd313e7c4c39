import { ModelFormatError } from './errors';

// Typed arrays are stored as their raw bytes in base64; every platform Node supports is little-endian.

export function encodeArray(values: Int32Array | Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decodeBytes(encoded: unknown, bytesPer: number, what: string): Uint8Array {
  if (typeof encoded !== 'string') throw new ModelFormatError(`${what} must be a base64 string`);
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.byteLength % bytesPer !== 0) throw new ModelFormatError(`${what} has ${bytes.byteLength} bytes, not a multiple of ${bytesPer}`);
  // Copied: a Buffer may sit at an offset that is not aligned for the typed array.
  return new Uint8Array(bytes);
}

export function decodeInt32(encoded: unknown, what: string): Int32Array {
  const bytes = decodeBytes(encoded, 4, what);
  return new Int32Array(bytes.buffer, 0, bytes.byteLength / 4);
}

export function decodeFloat64(encoded: unknown, what: string): Float64Array {
  const bytes = decodeBytes(encoded, 8, what);
  return new Float64Array(bytes.buffer, 0, bytes.byteLength / 8);
}
