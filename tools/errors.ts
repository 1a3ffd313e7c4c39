import { type ToolSpec } from './catalog';

/** No usable binary: says everything that was tried and what to do about it. */
export class ToolNotFoundError extends Error {
  override readonly name = 'ToolNotFoundError';
  constructor(
    spec: ToolSpec,
    readonly tried: readonly string[],
    advice: string,
    options?: ErrorOptions,
  ) {
    super([`The ${spec.what} \`${spec.command}\` was not found. Tried:`, ...tried.map((t) => `  - ${t}`), advice].join('\n'), options);
  }
}

/** An install step that ran and failed (pip, go), with the tail of its output. */
export class ToolInstallError extends Error {
  override readonly name = 'ToolInstallError';
}

/** Another process held the install lock for longer than any install takes. */
export class ToolLockTimeoutError extends Error {
  override readonly name = 'ToolLockTimeoutError';
}
