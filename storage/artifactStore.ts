import { type Readable } from 'node:stream';
import { type ByteSource } from './streams';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { PipelineError } from '../contract/pipelineError';

/** A stored object: its store key, a URI a person can follow, and what was written. */
export interface ArtifactRef {
  readonly key: string;
  readonly uri: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * An object as read, with an opaque token that changes whenever its content does (S3: the ETag, a
 * hash of the content). Rewriting identical bytes may keep the token; a compare-and-swap that
 * decides from the content alone is unaffected, since the state it decided on is unchanged.
 */
export interface VersionedObject {
  readonly data: Buffer;
  readonly version: string;
}

/** An object being read: its length, known before the first byte, and its bytes as a stream. */
export interface ObjectStream {
  readonly bytes: number;
  readonly body: Readable;
}

/**
 * Where every artifact of a run lives. Keys are `/`-separated and relative to the store root.
 * A write to an existing key replaces it whole (a retried step overwrites its own keys); readers
 * never see a half-written object, and a failed write leaves the key as it was.
 */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  uri(key: string): string;
  put(key: string, data: Uint8Array | string, contentType?: string): Promise<ArtifactRef>;
  /** Like put, for bodies of any size: holds a bounded part of the stream at a time (multipart on S3). */
  putStream(key: string, body: ByteSource, contentType?: string): Promise<ArtifactRef>;
  /** Writes only when the key is absent; false when it already existed. */
  putIfAbsent(key: string, data: Uint8Array | string, contentType?: string): Promise<boolean>;
  /** Throws ArtifactNotFoundError when absent. */
  get(key: string): Promise<Buffer>;
  /**
   * Like get, for objects of any size: the caller consumes or destroys the stream. Throws
   * ArtifactNotFoundError when absent, before any byte.
   */
  getStream(key: string): Promise<ObjectStream>;
  /** The object and its version token; undefined when absent. */
  getVersioned(key: string): Promise<VersionedObject | undefined>;
  /**
   * Compare-and-swap: replaces the key only while its version is still `expected` (`undefined`:
   * only while it is absent). False when another write came first; the caller re-reads and decides again.
   */
  replaceIfVersion(key: string, data: Uint8Array | string, expected: string | undefined, contentType?: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  /** Removes the key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

export class ArtifactNotFoundError extends PipelineError {
  override readonly name = 'ArtifactNotFoundError';
  constructor(readonly key: string) {
    super(FAILURE_TYPES.ArtifactNotFoundError, `artifact not found: ${key}`);
  }
}

export class InvalidArtifactKeyError extends PipelineError {
  override readonly name = 'InvalidArtifactKeyError';
  constructor(readonly key: string) {
    super(FAILURE_TYPES.InvalidArtifactKeyError, `invalid artifact key: ${JSON.stringify(key)}`);
  }
}

/** Keys are relative, normalized paths: no empty, `.` or `..` segments, no backslashes. */
export function checkKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 1024 || key.includes('\\') || key.includes('\0')) throw new InvalidArtifactKeyError(key);
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new InvalidArtifactKeyError(key);
  return key;
}
