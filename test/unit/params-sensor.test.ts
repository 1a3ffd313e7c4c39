import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SensorSchema } from '../../contract/params';

describe('sensor params: newerThan', () => {
  test('takes an ISO 8601 date-time with Z or an offset, and is optional', () => {
    assert.equal(SensorSchema.parse({ marker: 's3://b/k', newerThan: '2025-01-31T00:00:00Z' }).newerThan, '2025-01-31T00:00:00Z');
    assert.equal(SensorSchema.parse({ marker: 'x', newerThan: '2025-01-31T00:00:00.250+02:00' }).newerThan, '2025-01-31T00:00:00.250+02:00');
    assert.equal(SensorSchema.parse({ marker: 'x' }).newerThan, undefined);
  });

  test('refuses a date without a time, a time without a zone (ambiguous), and prose', () => {
    for (const newerThan of ['2025-01-31', '2025-01-31T00:00:00', 'yesterday', '']) {
      const parsed = SensorSchema.safeParse({ marker: 'x', newerThan });
      assert.equal(parsed.success, false, newerThan);
      assert.deepEqual(parsed.error?.issues[0].path, ['newerThan']);
    }
  });
});
