import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_HTTP_POKE_SECONDS, MIN_POKE_SECONDS, SensorSchema } from '../../contract/params';

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

describe('sensor poke interval floors (issue 15 defect 8)', () => {
  const issueOf = (input: object) => {
    const parsed = SensorSchema.safeParse(input);
    assert.equal(parsed.success, false, JSON.stringify(input));
    return parsed.error?.issues[0];
  };

  test(`a file or s3 marker is checked at most every ${MIN_POKE_SECONDS} s`, () => {
    for (const marker of ['ready.flag', 's3://b/k']) {
      assert.deepEqual(issueOf({ marker, pokeIntervalSeconds: 0.001 })?.path, ['pokeIntervalSeconds']);
      assert.equal(SensorSchema.parse({ marker, pokeIntervalSeconds: MIN_POKE_SECONDS }).pokeIntervalSeconds, MIN_POKE_SECONDS);
    }
  });

  test(`an http(s) marker is checked at most every ${MIN_HTTP_POKE_SECONDS} s, saying why`, () => {
    for (const marker of ['http://example.com/_SUCCESS', 'HTTPS://example.com/_SUCCESS']) {
      const issue = issueOf({ marker, pokeIntervalSeconds: 1 });
      assert.deepEqual(issue?.path, ['pokeIntervalSeconds']);
      assert.match(issue?.message ?? '', /request amplifier/);
      assert.equal(SensorSchema.parse({ marker, pokeIntervalSeconds: MIN_HTTP_POKE_SECONDS }).pokeIntervalSeconds, MIN_HTTP_POKE_SECONDS);
    }
  });
});
