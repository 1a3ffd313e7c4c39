import { constants, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FAILURE_TYPES } from '../../contract/failureTypes';
import { PipelineError } from '../../contract/pipelineError';

export class PathOutsideDataRootError extends PipelineError {
  override readonly name = 'PathOutsideDataRootError';
  constructor(readonly requested: string) {
    super(FAILURE_TYPES.PathOutsideDataRootError, `path ${JSON.stringify(requested)} is outside the data root`);
  }
}

export class SourceNotFoundError extends PipelineError {
  override readonly name = 'SourceNotFoundError';
  constructor(readonly requested: string) {
    super(FAILURE_TYPES.SourceNotFoundError, `no file at ${JSON.stringify(requested)} under the data root`);
  }
}

/** A FIFO, socket, device or directory where a dataset file was expected: opening one can block a libuv thread forever. */
export class NotARegularFileError extends PipelineError {
  override readonly name = 'NotARegularFileError';
  constructor(
    readonly requested: string,
    readonly kind: string,
  ) {
    super(FAILURE_TYPES.NotARegularFileError, `${JSON.stringify(requested)} under the data root is a ${kind}, not a regular file: refused`);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'FIFO (named pipe)';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'non-regular file';
}

/**
 * `resolveInDataRoot` for a file to be read: refuses anything but a regular file before it is
 * opened (stat never blocks on a FIFO, open does), then opens it non-blocking and checks again, so
 * a file swapped for a FIFO in between is refused too.
 */
export async function resolveFileInDataRoot(dataRoot: string, requested: string): Promise<string> {
  const path = await resolveInDataRoot(dataRoot, requested);
  const before = await stat(path);
  if (!before.isFile()) throw new NotARegularFileError(requested, kindOf(before));
  await checkRegularFile(path, requested);
  return path;
}

/** Opens `path` without blocking (O_NONBLOCK) and refuses it unless it is a regular file. */
export async function checkRegularFile(path: string, requested: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotARegularFileError(requested, kindOf(stats));
  } finally {
    await handle.close();
  }
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a user-given path against the data root and refuses anything that leaves it: `..`
 * segments, absolute paths elsewhere, and symlinks whose target lies outside.
 */
export async function resolveInDataRoot(dataRoot: string, requested: string): Promise<string> {
  if (requested.includes('\0')) throw new PathOutsideDataRootError(requested);
  const root = await realpath(dataRoot);
  const candidate = resolve(root, requested);
  // An absolute path may name the root as configured (e.g. through a symlink) or as its real path.
  const lexicallyInside = inside(root, candidate) || inside(resolve(dataRoot), resolve(dataRoot, requested));
  if (requested.split(/[\\/]/).includes('..') || !lexicallyInside) throw new PathOutsideDataRootError(requested);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SourceNotFoundError(requested);
    throw error;
  }
  if (!inside(root, real)) throw new PathOutsideDataRootError(requested);
  return real;
}
