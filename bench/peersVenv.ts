import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withLock } from '../tools/lock';
import { DEFAULT_TOOLS_DIR } from '../tools/root';

const run = promisify(execFile);

/** Pinned: the numbers in the README were measured with these versions. */
export const PEER_REQUIREMENTS = ['prefect==3.9.1', 'dagster==1.13.29', 'pandas==3.1.1', 'scikit-learn==1.9.1'];

const PEERS_DIR = join(DEFAULT_TOOLS_DIR, 'peers');
const VENV = join(PEERS_DIR, 'venv');
/** Written last: a venv without it (an install cut short) is made again. */
const STAMP = join(VENV, 'requirements.txt');
const wanted = PEER_REQUIREMENTS.join('\n');

async function installed(): Promise<boolean> {
  try {
    return (await readFile(STAMP, 'utf8')) === wanted;
  } catch {
    return false;
  }
}

/**
 * The python of a virtualenv under .tools/peers/ holding Prefect, Dagster, pandas and scikit-learn,
 * made on first use (minutes). Throws with pip's message when Python cannot install them.
 */
export async function peersPython(log: (line: string) => void): Promise<string> {
  const python = join(VENV, 'bin', 'python');
  if (await installed()) return python;
  await mkdir(PEERS_DIR, { recursive: true });
  return withLock(join(PEERS_DIR, '.lock'), async () => {
    if (await installed()) return python;
    const building = `${VENV}-building-${process.pid}`;
    await rm(building, { recursive: true, force: true });
    log(`installing ${PEER_REQUIREMENTS.join(' ')} into ${VENV} (first run only, minutes)`);
    await run('python3', ['-m', 'venv', building]);
    await run(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...PEER_REQUIREMENTS], { maxBuffer: 64 << 20 });
    await writeFile(join(building, 'requirements.txt'), wanted);
    await rm(VENV, { recursive: true, force: true });
    // The venv's python finds its packages through pyvenv.cfg beside it, so the folder can be renamed.
    await rename(building, VENV);
    return python;
  }, { timeoutMs: 30 * 60_000 });
}
