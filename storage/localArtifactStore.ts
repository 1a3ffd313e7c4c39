import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { ArtifactNotFoundError, checkKey, type ArtifactRef, type ArtifactStore, type ObjectStream, type VersionedObject } from './artifactStore';
import { StreamMeter, type ByteSource } from './streams';
import { sha256Of } from './digest';
import { FAILURE_TYPES } from '../contract/failureTypes';
import { PipelineError } from '../contract/pipelineError';

/** The in-flight files of put/putIfAbsent: `<target>.<uuid>.tmp`. A key may itself end in `.tmp`. */
const TEMP_FILE = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;
/** The lock of replaceIfVersion: named like an in-flight file (a fixed all-zero id) so list() hides it too. */
const LOCK_SUFFIX = '.00000000-0000-0000-0000-000000000000.tmp';
/** A lock is held for a few file operations; one older than this was left by a crashed process. */
const STALE_LOCK_MS = 10_000;
/** Waiting longer than this for a lock is a failure the caller's retry handles. */
const LOCK_WAIT_MS = 30_000;

export class ArtifactLockTimeoutError extends PipelineError {
  override readonly name = 'ArtifactLockTimeoutError';
  constructor(readonly key: string) {
    super(FAILURE_TYPES.ArtifactLockTimeoutError, `timed out waiting for the lock of artifact ${key}`);
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** The embedded default: artifacts as files under a root folder. */
export class LocalArtifactStore implements ArtifactStore {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {}

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split('/'));
  }

  uri(key: string): string {
    return pathToFileURL(this.path(key)).href;
  }

  async put(key: string, data: Uint8Array | string): Promise<ArtifactRef> {
    const target = this.path(key);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await mkdir(dirname(target), { recursive: true });
    // Write then rename in the same folder: replacing is atomic, so a retry overwrites and a reader never sees half a file.
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { key, uri: this.uri(key), bytes: bytes.byteLength, sha256: await sha256Of(bytes, 'hex') };
  }

  async putStream(key: string, body: ByteSource): Promise<ArtifactRef> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    const meter = new StreamMeter();
    try {
      await pipeline(meter.pass(body), createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    const { bytes, sha256 } = meter.measured();
    return { key, uri: this.uri(key), bytes, sha256 };
  }

  async putIfAbsent(key: string, data: Uint8Array | string): Promise<boolean> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    // link() fails when the target exists, so claiming the key and publishing whole content are one step.
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, data);
      await link(temp, target);
      return true;
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return false;
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new ArtifactNotFoundError(key);
      throw error;
    }
  }

  async getStream(key: string): Promise<ObjectStream> {
    let handle;
    try {
      handle = await open(this.path(key), 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new ArtifactNotFoundError(key);
      throw error;
    }
    // Length and bytes through one descriptor: a replace (a rename) meanwhile cannot mix two versions.
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new ArtifactNotFoundError(key);
      return { bytes: info.size, body: handle.createReadStream({ autoClose: true }) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * The version token is the file's inode and modification time: every write renames a new file
   * into place, so any replace changes it, even one that writes the same bytes.
   */
  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    let handle;
    try {
      handle = await open(this.path(key), 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    // Stat and read through one descriptor, so the token belongs to exactly the bytes returned.
    try {
      const info = await handle.stat({ bigint: true });
      return { data: await handle.readFile(), version: `${info.ino}-${info.mtimeNs}` };
    } finally {
      await handle.close();
    }
  }

  private async currentVersion(target: string): Promise<string | undefined> {
    try {
      const info = await stat(target, { bigint: true });
      return `${info.ino}-${info.mtimeNs}`;
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async replaceIfVersion(key: string, data: Uint8Array | string, expected: string | undefined): Promise<boolean> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    // A file system has no compare-and-rename: a lock file created exclusively makes check and
    // replace one step for every process sharing this folder.
    const release = await this.lock(key, target);
    try {
      if ((await this.currentVersion(target)) !== expected) return false;
      await this.put(key, data);
      return true;
    } finally {
      await release();
    }
  }

  private async lock(key: string, target: string): Promise<() => Promise<void>> {
    const lockPath = `${target}${LOCK_SUFFIX}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      try {
        await (await open(lockPath, 'wx')).close();
        return () => rm(lockPath, { force: true });
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
      const held = await stat(lockPath).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        // Left by a process that died inside its few-millisecond critical section. Two waiters that
        // break the same stale lock at the same instant could both proceed; that needs a crash and
        // a tie, and the local store is the single-host default (S3 decides on the server).
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new ArtifactLockTimeoutError(key);
      await sleep(wait);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix === '' ? this.root : this.path(prefix.replace(/\/$/, ''));
    let entries: string[];
    try {
      entries = await readdir(base, { recursive: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    const keys: string[] = [];
    for (const entry of entries) {
      const full = join(base, entry);
      if (TEMP_FILE.test(full) || !(await stat(full)).isFile()) continue;
      keys.push(relative(this.root, full).split(sep).join('/'));
    }
    return keys.sort();
  }
}
