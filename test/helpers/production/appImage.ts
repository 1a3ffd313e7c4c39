import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withLock } from '../../../tools/lock';
import { DEFAULT_TOOLS_DIR } from '../../../tools/root';
import { ROOT } from '../compose';

const run = promisify(execFile);
const NPM_TIMEOUT_MS = 15 * 60_000;

const exists = (path: string) => stat(path).then(() => true, () => false);

/** The Dockerfile's `ENV` of the runtime stage, as variables. */
export async function imageEnv(): Promise<Record<string, string>> {
  const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
  const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
  return Object.fromEntries([...block.replace(/\\\n/g, ' ').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

/**
 * The Dockerfile's deps stage: `npm ci --omit=dev` from package.json and package-lock.json alone,
 * in a folder of its own under .tools/, kept for as long as the lock file is unchanged.
 */
export async function productionDependencies(log: (m: string) => void): Promise<string> {
  const [pkg, lock] = await Promise.all(['package.json', 'package-lock.json'].map((f) => readFile(join(ROOT, f))));
  const key = createHash('sha256').update(pkg).update(lock).digest('hex').slice(0, 16);
  const dir = join(DEFAULT_TOOLS_DIR, 'prod-deps', key);
  const modules = join(dir, 'node_modules');
  if (await exists(join(dir, '.complete'))) return modules;
  return withLock(join(DEFAULT_TOOLS_DIR, 'locks', 'prod-deps'), async () => {
    if (await exists(join(dir, '.complete'))) return modules;
    const temp = `${dir}.tmp-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await Promise.all([writeFile(join(temp, 'package.json'), pkg), writeFile(join(temp, 'package-lock.json'), lock)]);
    log(`production dependencies: npm ci --omit=dev into ${dir} ...`);
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], { cwd: temp, timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    await writeFile(join(temp, '.complete'), new Date().toISOString());
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
    return modules;
  });
}

/** `npm run build` in the repository: dist/ with the entrypoints and the prebuilt workflow bundle. */
export async function buildDist(): Promise<string> {
  await run('npm', ['run', 'build'], { cwd: ROOT, timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return join(ROOT, 'dist');
}

/**
 * The runtime stage's /app in `dir`: production node_modules, dist/, package.json and examples/.
 * Copies, not links, of dist/ and examples/: node resolves a module from its real path, and
 * dist/ in the repository would find the repository's node_modules with the dev dependencies.
 */
export async function layOutApp(dir: string, dist: string, nodeModules: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    symlink(nodeModules, join(dir, 'node_modules'), 'dir'),
    cp(dist, join(dir, 'dist'), { recursive: true }),
    cp(join(ROOT, 'package.json'), join(dir, 'package.json')),
    cp(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true }),
  ]);
  return dir;
}
