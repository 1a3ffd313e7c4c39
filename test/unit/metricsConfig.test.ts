import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadWorkerConfig } from '../../worker/config';

describe('worker metrics configuration', () => {
  test('defaults: app metrics on 9464, SDK metrics on 9465, all interfaces', () => {
    assert.deepEqual(loadWorkerConfig({}).metrics, { host: '0.0.0.0', port: 9464, sdkPort: 9465 });
  });

  test('ports and host from the environment', () => {
    assert.deepEqual(loadWorkerConfig({ WORKER_METRICS_PORT: '19464', SDK_METRICS_PORT: '19465', METRICS_HOST: '127.0.0.1' }).metrics, {
      host: '127.0.0.1',
      port: 19464,
      sdkPort: 19465,
    });
  });

  test('a bad port stops start-up naming the variable', () => {
    assert.throws(() => loadWorkerConfig({ WORKER_METRICS_PORT: 'ninety' }), (e: unknown) => e instanceof ConfigError && /WORKER_METRICS_PORT/.test(e.message));
    assert.throws(() => loadWorkerConfig({ SDK_METRICS_PORT: '70000' }), (e: unknown) => e instanceof ConfigError && /SDK_METRICS_PORT/.test(e.message));
  });
});
