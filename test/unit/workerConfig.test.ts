import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ConfigError, loadWorkerConfig } from '../../worker/config';

function configError(variable: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.ok(error.message.includes(variable), `"${error.message}" does not name ${variable}`);
    return true;
  };
}

describe('loadWorkerConfig', () => {
  test('an empty environment gives the defaults', () => {
    const config = loadWorkerConfig({});
    assert.deepEqual(config.pools, ['light', 'compute']);
    assert.deepEqual(config.maxConcurrentActivities, { light: 16, compute: 4 });
    assert.deepEqual(config.temporal, { address: 'localhost:7233', namespace: 'default' });
    assert.equal(config.maxConcurrentWorkflowTasks, 40);
    assert.equal(config.artifactRoot, resolve('.data/artifacts'));
    assert.equal(config.dataRoot, resolve('examples/data'));
    assert.deepEqual(config.http, { timeoutMs: 30_000, maxBytes: 1024 * 1024 * 1024 });
    assert.equal(config.progressIntervalMs, 2_000);
    assert.equal(config.shutdownGraceMs, 30_000);
    assert.equal(config.workflowBundlePath, undefined);
    assert.equal(config.logLevel, 'INFO');
  });

  test('variables override the defaults, numbers are parsed and roots made absolute', () => {
    const config = loadWorkerConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'ml',
      LIGHT_MAX_CONCURRENT_ACTIVITIES: '8',
      COMPUTE_MAX_CONCURRENT_ACTIVITIES: '2',
      ARTIFACT_ROOT: 'some/artifacts',
      DATA_ROOT: '/srv/data',
      HTTP_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'DEBUG',
      WORKFLOW_BUNDLE_PATH: '/app/bundle.js',
    });
    assert.deepEqual(config.temporal, { address: 'temporal:7233', namespace: 'ml' });
    assert.deepEqual(config.maxConcurrentActivities, { light: 8, compute: 2 });
    assert.equal(config.artifactRoot, resolve('some/artifacts'));
    assert.equal(config.dataRoot, '/srv/data');
    assert.equal(config.http.timeoutMs, 1500);
    assert.equal(config.logLevel, 'DEBUG');
    assert.equal(config.workflowBundlePath, '/app/bundle.js');
  });

  test('WORKER_POOLS selects pools', () => {
    assert.deepEqual(loadWorkerConfig({ WORKER_POOLS: 'compute' }).pools, ['compute']);
    assert.deepEqual(loadWorkerConfig({ WORKER_POOLS: ' light , compute ' }).pools, ['light', 'compute']);
  });

  test('a pool named twice runs once', () => {
    assert.deepEqual(loadWorkerConfig({ WORKER_POOLS: 'light,light' }).pools, ['light']);
  });

  const bad: [string, string][] = [
    ['LIGHT_MAX_CONCURRENT_ACTIVITIES', 'abc'],
    ['LIGHT_MAX_CONCURRENT_ACTIVITIES', '0'],
    ['COMPUTE_MAX_CONCURRENT_ACTIVITIES', '2.5'],
    ['HTTP_TIMEOUT_MS', '10'],
    ['WORKER_POOLS', 'light,gpu'],
    ['WORKER_POOLS', ','],
    ['LOG_LEVEL', 'loud'],
    ['TEMPORAL_ADDRESS', ''],
  ];
  for (const [variable, value] of bad) {
    test(`${variable}=${JSON.stringify(value)} is a ConfigError naming the variable`, () => {
      assert.throws(() => loadWorkerConfig({ [variable]: value }), configError(variable));
    });
  }

  test('every bad variable is named at once', () => {
    assert.throws(
      () => loadWorkerConfig({ LIGHT_MAX_CONCURRENT_ACTIVITIES: 'abc', LOG_LEVEL: 'loud', WORKER_POOLS: 'gpu' }),
      (error: unknown) => configError('LIGHT_MAX_CONCURRENT_ACTIVITIES')(error) && configError('LOG_LEVEL')(error) && configError('WORKER_POOLS')(error),
    );
  });

  test('the WORKER_POOLS error names the bad value and the allowed pools', () => {
    assert.throws(() => loadWorkerConfig({ WORKER_POOLS: 'light,gpu' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /WORKER_POOLS: .*light, compute.*"light,gpu"/);
      return true;
    });
  });
});
