import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch folder for files a test writes; `remove()` in an after hook. */
export interface TempFiles {
  readonly dir: string;
  /** Writes `name` in the folder and returns its path. */
  write(name: string, data: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function tempFiles(prefix = 'test-'): Promise<TempFiles> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    async write(name, data) {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const FIXTURES = join(__dirname, '..', 'fixtures', 'data');
