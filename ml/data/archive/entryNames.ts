import { isAbsolute, relative, resolve, sep } from 'node:path';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Why an archive entry may not be extracted into `folder`, or undefined when it may: names that
 * would land outside it (zip slip: "../", absolute paths, drive letters), NUL bytes, and symbolic
 * links (which could point anywhere once extracted). Backslashes were already read as "/".
 */
export function unsafeEntryReason(name: string, folder: string, externalAttributes = 0): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.includes('\0')) return 'the name holds a NUL byte';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').includes('..')) return 'a ".." path segment leaves the extraction folder';
  const target = resolve(folder, name);
  const rel = relative(folder, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return 'it would land outside the extraction folder';
  if (((externalAttributes >>> 16) & S_IFMT) === S_IFLNK) return 'a symbolic link';
  return undefined;
}
