import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(__dirname, '../..');

export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] | string };
  restart?: string;
}
export interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

export function loadCompose(): Compose {
  return parse(readFileSync(join(ROOT, 'docker-compose.yaml'), 'utf8'), { merge: true }) as Compose;
}

/** Compose interpolation with nothing set in the shell: `${X:-default}` gives the default, `$$` a dollar. */
export function interpolate(value: string): string {
  return value.replace(/\$\{([A-Za-z0-9_]+)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback?: string) => fallback ?? '').replace(/\$\$/g, '$');
}

/** A service's environment as its container sees it. */
export function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  const pairs = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s).slice(0, 2)) : Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v ?? '')]));
}

export const commandOf = (s: Service): string => [s.entrypoint, s.command].flat().filter(Boolean).join(' ');

/** The script a one-shot job runs with `entrypoint: ['/bin/sh', '-c']`, interpolated as compose would. */
export function shellScript(service: Service): string {
  assertShellJob(service);
  const command = Array.isArray(service.command) ? service.command : [service.command ?? ''];
  return interpolate(command[0]);
}

function assertShellJob(service: Service): void {
  const entrypoint = [service.entrypoint].flat().join(' ');
  if (entrypoint !== '/bin/sh -c') throw new Error(`not a shell job: entrypoint ${entrypoint}`);
}
