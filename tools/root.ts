import { join, resolve } from 'node:path';

/** The repository: tools/ sits at its top level. */
export const REPO_ROOT = resolve(__dirname, '..');

/** Where installs are cached (git-ignored), created on the first install. */
export const DEFAULT_TOOLS_DIR = join(REPO_ROOT, '.tools');
