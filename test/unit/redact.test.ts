import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactDeep, redactText, redactUrl } from '../../contract';

describe('redaction of credentials in echoed URLs', () => {
  test('user-info and credential-like query values are replaced; the rest of the URL stays', () => {
    assert.equal(redactUrl('https://alice:s3cret@hooks.example.com/x?a=1'), 'https://***:***@hooks.example.com/x?a=1');
    assert.equal(redactUrl('https://hooks.example.com/x?token=abc&team=ml'), 'https://hooks.example.com/x?token=***&team=ml');
    const presigned = redactUrl('https://bucket.s3.amazonaws.com/data.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok');
    assert.ok(!/AKIA|deadbeef|=tok/.test(presigned), presigned);
    assert.match(presigned, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
    assert.equal(redactUrl('https://example.com/plain.csv'), 'https://example.com/plain.csv');
    assert.equal(redactUrl('not a url'), 'not a url');
  });

  test('URLs inside messages and nested values are redacted, other text and values are kept', () => {
    assert.equal(redactText('POST https://u:p@h.example/x?api_key=k failed: 503'), 'POST https://***:***@h.example/x?api_key=*** failed: 503');
    const input = { webhooks: ['https://h.example/?secret=1'], n: 3, ok: true, none: null, nested: { source: 'https://a:b@c.example/d' } };
    const out = redactDeep(input);
    assert.deepEqual(out, { webhooks: ['https://h.example/?secret=***'], n: 3, ok: true, none: null, nested: { source: 'https://***:***@c.example/d' } });
    assert.equal(input.webhooks[0], 'https://h.example/?secret=1', 'the input is not changed');
  });
});
