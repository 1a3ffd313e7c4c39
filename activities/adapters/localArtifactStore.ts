import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactNotFoundError, checkKey, type ArtifactRef, type ArtifactStore } from './artifactStore';

/** The in-flight files of put/putIfAbsent: `<target>.<uuid>.tmp`. A key may itself end in `.tmp`. */
const TEMP_FILE = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

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
    return { key, uri: this.uri(key), bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
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

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
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
