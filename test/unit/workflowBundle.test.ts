import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import { bundleWorkflowCode } from '@temporalio/worker';

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

/**
 * The modules a new run's sandbox evaluates. The SDK's reusable V8 context shares only the modules
 * evaluated before the first workflow; every module the workflow code imports is evaluated again for
 * each new run (and each replay after a cache eviction), through a module cache of that run's own.
 * This loads the bundle the way the SDK does and records what one more run evaluates.
 */
async function modulesOfANewRun(): Promise<string[]> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
  // Empty until the bundle is loaded: what loading evaluates is shared, as the SDK shares it.
  const caches: { perRun?: Map<string, unknown> } = {};
  const shared = new Map<string, unknown>();
  const context = vm.createContext({ TextEncoder, TextDecoder, URL, URLSearchParams, AbortController, console });
  const moduleCache = new Proxy(
    {},
    {
      get: (_, id: string) => shared.get(id) ?? caches.perRun?.get(id),
      set: (_, id: string, module) => {
        (caches.perRun ?? shared).set(id, module);
        return true;
      },
    },
  );
  Object.defineProperty(context, '__webpack_module_cache__', { value: moduleCache });
  new vm.Script(code).runInContext(context);
  const entry = vm.runInContext('__TEMPORAL__', context) as { importWorkflows: () => unknown };
  const perRun = new Map<string, unknown>();
  caches.perRun = perRun;
  entry.importWorkflows();
  return [...perRun.keys()];
}

/** Contract files that construct zod schemas when evaluated. */
async function schemaFiles(): Promise<string[]> {
  const dir = join(__dirname, '../../contract');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
  const withZod = await Promise.all(files.map(async (f) => (/^import \{ z \} from 'zod';$/m.test(await readFile(join(dir, f), 'utf8')) ? f : undefined)));
  return withZod.filter((f): f is string => f !== undefined);
}

describe('the workflow bundle', () => {
  test('a new run evaluates neither zod nor a params schema (they cost tens of ms per run)', async () => {
    const [modules, schemas] = await Promise.all([modulesOfANewRun(), schemaFiles()]);
    assert.ok(modules.includes('./workflows/mlPipeline.ts'), `the workflows are evaluated per run: ${modules.join(', ')}`);
    assert.ok(schemas.includes('params.ts') && schemas.includes('inferenceParams.ts'), schemas.join(', '));
    const heavy = modules.filter((id) => /node_modules\/(zod|re2js)\//.test(id) || schemas.some((f) => id === `./contract/${f}`));
    assert.deepEqual(heavy, []);
  });
});
