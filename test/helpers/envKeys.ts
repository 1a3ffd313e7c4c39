/**
 * The environment variables a config loader reads: it is handed an environment that records every
 * name asked for (and holds none, so every default applies). This is the set the zod schema knows.
 */
export function envKeysRead(load: (env: NodeJS.ProcessEnv) => unknown): Set<string> {
  const keys = new Set<string>();
  const env: NodeJS.ProcessEnv = new Proxy({}, {
    get(_target, key) {
      if (typeof key === 'string') keys.add(key);
      return undefined;
    },
  });
  load(env);
  return keys;
}

/** Read by the AWS SDK itself (credentials chain), not by our schemas: allowed beside them. */
export const AWS_SDK_ENV = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']);
