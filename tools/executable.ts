import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** A regular file this process may execute. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    // Folders pass the X_OK check too (it means "searchable" for them).
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    // Missing, unreadable or not executable: all mean "not this one", and the caller says what it tried.
    return false;
  }
}

/** The first executable `command` in the folders of PATH, as a shell would find it. */
export async function onPath(command: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir && (await isExecutable(join(dir, command)))) return join(dir, command);
  }
  return undefined;
}
