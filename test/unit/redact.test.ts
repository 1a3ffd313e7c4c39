import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { runStep } from '../../activities/failures';
import { HttpSourceError } from '../../activities/adapters/httpSource';
import { inferenceRunMetadata, parseInferenceParams, parsePipelineParams, redactDeep, redactText, redactUrl, runMetadata } from '../../contract';

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

  test('a step\'s failure leaves the worker without the credentials: message, stack and cause, ours or not', async () => {
    const url = 'https://bob:pa55@data.example.com/d.csv?token=t0k';
    const failure = await runStep(() => Promise.reject(new HttpSourceError(`cannot read ${url}`, false))).catch((e: unknown) => e as ApplicationFailure);
    const library = new Error(`GET ${url} failed: ECONNRESET`);
    const other = await runStep(() => Promise.reject(new TypeError(`bad ${url}`, { cause: library }))).catch((e: unknown) => e as Error);
    assert.ok(failure instanceof ApplicationFailure && other.cause === library);
    for (const error of [failure, failure.cause!, other, library]) {
      assert.ok(!/pa55|t0k/.test(`${error.message}\n${error.stack}`), `${error.message}\n${error.stack}`);
      assert.match(error.message, /https:\/\/\*\*\*:\*\*\*@data\.example\.com\/d\.csv\?token=\*\*\*/);
    }
  });

  test('the memo and the Web UI summary show a source URL without its credentials', () => {
    const source = 'https://bob:pa55@data.example.com/d.csv?sig=abc';
    const training = runMetadata(parsePipelineParams({ pipeline: 'p', dataset: { source, target: 'y' }, model: { type: 'random_forest_classifier' }, deploy: { metric: 'accuracy', threshold: 0.9 } }));
    const inference = inferenceRunMetadata(parseInferenceParams({ pipeline: 'p', model: { name: 'm' }, dataset: { source } }));
    for (const meta of [training, inference]) {
      const shown = JSON.stringify([meta.memo, meta.staticSummary, meta.staticDetails]);
      assert.ok(!/pa55|abc/.test(shown), shown);
      assert.match(meta.memo.dataset, /^https:\/\/\*\*\*:\*\*\*@data\.example\.com\/d\.csv\?sig=\*\*\*$/);
    }
  });
});
