import { resolve } from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z
  .object({
    TEMPORAL_DEV_PORT: port.default(7233),
    // As `temporal server start-dev` does: the frontend's port + 1000 unless told otherwise.
    TEMPORAL_DEV_UI_PORT: port.optional(),
    TEMPORAL_DEV_DB_FILE: z.string().min(1).default('.data/temporal.db'),
  })
  .refine((e) => e.TEMPORAL_DEV_UI_PORT !== undefined || e.TEMPORAL_DEV_PORT + 1000 <= 65535, {
    path: ['TEMPORAL_DEV_UI_PORT'],
    message: 'TEMPORAL_DEV_PORT + 1000 is not a port: set TEMPORAL_DEV_UI_PORT',
  });

/** The local Temporal dev server that `npm start` and `npm run demo` start when they need one. */
export interface DevServerConfig {
  /** Frontend (gRPC) port on 127.0.0.1. */
  readonly port: number;
  readonly uiPort: number;
  /** The SQLite file the server persists to. */
  readonly dbFilename: string;
  /** Where the launchers look for an already running stack when nothing else is configured. */
  readonly address: string;
  readonly webUi: string;
}

export class LaunchConfigError extends Error {
  override readonly name = 'LaunchConfigError';
}

/** Parses the dev server's variables once, so two stacks can run side by side on other ports. */
export function loadDevServerConfig(env: NodeJS.ProcessEnv = process.env): DevServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new LaunchConfigError(`invalid dev server configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = parsed.data;
  const uiPort = e.TEMPORAL_DEV_UI_PORT ?? e.TEMPORAL_DEV_PORT + 1000;
  return {
    port: e.TEMPORAL_DEV_PORT,
    uiPort,
    dbFilename: resolve(e.TEMPORAL_DEV_DB_FILE),
    address: `localhost:${e.TEMPORAL_DEV_PORT}`,
    webUi: `http://localhost:${uiPort}`,
  };
}
