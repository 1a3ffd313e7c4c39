import { realpath } from 'node:fs/promises';
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
