/** A stored object: its store key, a URI a person can follow, and what was written. */
export interface ArtifactRef {
  readonly key: string;
  readonly uri: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Where every artifact of a run lives. Keys are `/`-separated and relative to the store root.
 * A write to an existing key replaces it whole (a retried step overwrites its own keys); readers
 * never see a half-written object.
 */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  uri(key: string): string;
  put(key: string, data: Uint8Array | string, contentType?: string): Promise<ArtifactRef>;
  /** Writes only when the key is absent; false when it already existed. */
  putIfAbsent(key: string, data: Uint8Array | string, contentType?: string): Promise<boolean>;
  /** Throws ArtifactNotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

export class ArtifactNotFoundError extends Error {
  override readonly name = 'ArtifactNotFoundError';
  constructor(readonly key: string) {
    super(`artifact not found: ${key}`);
  }
}

export class InvalidArtifactKeyError extends Error {
  override readonly name = 'InvalidArtifactKeyError';
  constructor(readonly key: string) {
    super(`invalid artifact key: ${JSON.stringify(key)}`);
  }
}

/** Keys are relative, normalized paths: no empty, `.` or `..` segments, no backslashes. */
export function checkKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 1024 || key.includes('\\') || key.includes('\0')) throw new InvalidArtifactKeyError(key);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new InvalidArtifactKeyError(key);
  return key;
}
