import { DEFAULT_TOOLS_DIR } from './root';

/** What finding and installing depend on besides the environment; tests point it at temp folders. */
export interface ToolContext {
  /** The cache folder (the repo's .tools/ unless told). */
  readonly toolsDir: string;
  /** The interpreter whose pip installs wheels. */
  readonly python: string;
  /** Progress of slow installs, for a person watching. */
  readonly log: (message: string) => void;
}

export type ToolOptions = Partial<ToolContext>;

export function toolContext(options: ToolOptions = {}): ToolContext {
  return {
    toolsDir: options.toolsDir ?? DEFAULT_TOOLS_DIR,
    python: options.python ?? 'python3',
    log: options.log ?? ((m) => console.error(m)),
  };
}
