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
    assert.deepEqual(config.temporal, {
      address: 'localhost:7233',
      namespace: 'default',
      connection: { address: 'localhost:7233' },
      dataConverter: {},
      summary: 'localhost:7233 (namespace default, plaintext)',
    });
    assert.equal(config.maxConcurrentWorkflowTasks, 40);
    assert.equal(config.artifactRoot, resolve('.data/artifacts'));
    assert.equal(config.dataRoot, resolve('examples/data'));
    assert.deepEqual({ ...config.http, allow: config.http.allow.entries }, { timeoutMs: 30_000, maxBytes: 1024 * 1024 * 1024, allow: [] });
    assert.deepEqual(config.artifactStore, { kind: 'local', root: resolve('.data/artifacts') });
    assert.deepEqual(config.s3, { endpoint: undefined, region: undefined, forcePathStyle: false });
    assert.equal(config.s3PartSizeBytes, 8 * 1024 * 1024);
    assert.equal(config.progressIntervalMs, 2_000);
    assert.equal(config.markerHostIntervalMs, 1_000);
    assert.equal(config.shutdownGraceMs, 30_000);
    assert.equal(config.workflowBundlePath, undefined);
    assert.equal(config.logLevel, 'INFO');
  });

  test('SENSOR_HTTP_HOST_INTERVAL_MS sets the per-host marker check interval, and a bad one is named', () => {
    assert.equal(loadWorkerConfig({ SENSOR_HTTP_HOST_INTERVAL_MS: '250' }).markerHostIntervalMs, 250);
    assert.throws(() => loadWorkerConfig({ SENSOR_HTTP_HOST_INTERVAL_MS: '-1' }), configError('SENSOR_HTTP_HOST_INTERVAL_MS'));
  });

  test('heartbeats and checkpoints: a beat a second, at most one sent per 2 s, a forest checkpoint every 30 s', () => {
    const config = loadWorkerConfig({});
    assert.deepEqual(config.heartbeat, { intervalMs: 1_000, throttleMs: 2_000 });
    assert.deepEqual(config.checkpoints, { everyTrees: 0, everyMs: 30_000 });
    const tuned = loadWorkerConfig({ HEARTBEAT_INTERVAL_MS: '250', HEARTBEAT_THROTTLE_MS: '500', CHECKPOINT_EVERY_TREES: '20', CHECKPOINT_INTERVAL_MS: '0' });
    assert.deepEqual(tuned.heartbeat, { intervalMs: 250, throttleMs: 500 });
    assert.deepEqual(tuned.checkpoints, { everyTrees: 20, everyMs: 0 });
    assert.throws(() => loadWorkerConfig({ HEARTBEAT_INTERVAL_MS: '0' }), configError('HEARTBEAT_INTERVAL_MS'));
    assert.throws(() => loadWorkerConfig({ CHECKPOINT_EVERY_TREES: 'many' }), configError('CHECKPOINT_EVERY_TREES'));
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
    assert.deepEqual({ address: config.temporal.address, namespace: config.temporal.namespace }, { address: 'temporal:7233', namespace: 'ml' });
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

  test('ARTIFACT_ROOT=s3://bucket/prefix selects the S3 store; extra slashes do not make empty key segments', () => {
    const config = loadWorkerConfig({ ARTIFACT_ROOT: 's3://ml-artifacts/team/a/' });
    assert.deepEqual(config.artifactStore, { kind: 's3', bucket: 'ml-artifacts', prefix: 'team/a' });
    assert.equal(config.artifactRoot, 's3://ml-artifacts/team/a');
    assert.deepEqual(loadWorkerConfig({ ARTIFACT_ROOT: 's3://ml-artifacts' }).artifactStore, { kind: 's3', bucket: 'ml-artifacts', prefix: '' });
  });

  test('an endpoint URL turns path-style addressing on and signs for us-east-1 unless told otherwise', () => {
    assert.deepEqual(loadWorkerConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:8333' }).s3, { endpoint: 'http://127.0.0.1:8333', region: 'us-east-1', forcePathStyle: true });
    assert.deepEqual(loadWorkerConfig({ AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_S3: 'https://s3.b:2', AWS_REGION: 'eu-west-1', S3_FORCE_PATH_STYLE: 'false' }).s3, {
      endpoint: 'https://s3.b:2',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
    assert.deepEqual(loadWorkerConfig({ AWS_DEFAULT_REGION: 'us-west-2', S3_FORCE_PATH_STYLE: 'true', AWS_ENDPOINT_URL: '' }).s3, { endpoint: undefined, region: 'us-west-2', forcePathStyle: true });
    assert.equal(loadWorkerConfig({ S3_PART_SIZE_MB: '16' }).s3PartSizeBytes, 16 * 1024 * 1024);
  });

  test('HTTP_ALLOW_HOSTS lists hostnames, addresses and CIDR ranges', () => {
    assert.deepEqual(loadWorkerConfig({ HTTP_ALLOW_HOSTS: 'minio.internal, 10.0.0.0/8,::1' }).http.allow.entries, ['minio.internal', '10.0.0.0/8', '::1']);
  });

  const bad: [string, string][] = [
    ['ARTIFACT_ROOT', 's3://Not_A_Bucket/x'],
    ['AWS_ENDPOINT_URL', 'ftp://127.0.0.1:21'],
    ['AWS_ENDPOINT_URL_S3', 'not a url'],
    ['S3_FORCE_PATH_STYLE', 'yes'],
    ['S3_PART_SIZE_MB', '4'],
    ['HTTP_ALLOW_HOSTS', 'localhost,10.0.0.0/33'],
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
