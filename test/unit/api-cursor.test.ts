import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BadRequestError } from '../../api/common/errors';
import { decodeCursor, encodeCursor } from '../../api/runs/cursor';

describe('list cursors', () => {
  test('a page token comes back as it was given out', () => {
    const token = Buffer.from('{"LastCloseTime":"2026-12-02T13:00:00Z","LastRunID":"r1"}');
    const cursor = encodeCursor(token);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(Buffer.from(decodeCursor(cursor)), token);
  });

  test('garbage, a truncated or an altered cursor never reaches Temporal: a 400 naming cursor', () => {
    const cursor = encodeCursor(Buffer.from('{"page":2}'));
    const altered = `${cursor.slice(0, 3)}${cursor[3] === 'A' ? 'B' : 'A'}${cursor.slice(4)}`;
    for (const bad of ['abc', 'hJDVhsakTpH', 'ol', cursor.slice(0, -2), altered, Buffer.from('{"page":2}').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad), (e: unknown) => e instanceof BadRequestError && /cursor/.test(e.message), bad);
    }
  });
});
