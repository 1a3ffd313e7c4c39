import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { LaunchConfigError, loadDevServerConfig } from '../../launch/config';

const names = (variable: string) => (e: unknown) => e instanceof LaunchConfigError && e.message.includes(`${variable}: `);

describe('the dev server of npm start and npm run demo', () => {
  test('defaults: 7233, Web UI on 8233, persisted to .data/temporal.db', () => {
    assert.deepEqual(loadDevServerConfig({}), {
      port: 7233,
      uiPort: 8233,
      dbFilename: resolve('.data/temporal.db'),
      address: 'localhost:7233',
      webUi: 'http://localhost:8233',
    });
  });

  test('another frontend port moves the Web UI with it unless TEMPORAL_DEV_UI_PORT says otherwise', () => {
    assert.equal(loadDevServerConfig({ TEMPORAL_DEV_PORT: '17233' }).uiPort, 18233);
    assert.deepEqual(loadDevServerConfig({ TEMPORAL_DEV_PORT: '17233', TEMPORAL_DEV_UI_PORT: '9000', TEMPORAL_DEV_DB_FILE: '/tmp/t.db' }), {
      port: 17233,
      uiPort: 9000,
      dbFilename: '/tmp/t.db',
      address: 'localhost:17233',
      webUi: 'http://localhost:9000',
    });
  });

  test('bad values name their variable', () => {
    assert.throws(() => loadDevServerConfig({ TEMPORAL_DEV_PORT: 'seven' }), names('TEMPORAL_DEV_PORT'));
    assert.throws(() => loadDevServerConfig({ TEMPORAL_DEV_UI_PORT: '70000' }), names('TEMPORAL_DEV_UI_PORT'));
    assert.throws(() => loadDevServerConfig({ TEMPORAL_DEV_DB_FILE: '' }), names('TEMPORAL_DEV_DB_FILE'));
    assert.throws(() => loadDevServerConfig({ TEMPORAL_DEV_PORT: '65000' }), names('TEMPORAL_DEV_UI_PORT'));
  });
});
