import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunDetail } from '../../api/runs/runView';
import { type ErrorBody } from '../../api/common/errorFilter';
import { readExample } from '../helpers/fixtures';
import { API_KEY, pollUntil, startApiStack, type ApiStack } from '../helpers/apiStack';

let stack: ApiStack;
before(async () => {
  stack = await startApiStack();
});
after(async () => {
  await stack?.stop();
});

const closed = (r: RunDetail) => r.status !== 'running';

describe('batch inference over HTTP', () => {
  test('an unknown model is a 400; after training iris, the example scores, lists, and its predictions download as Parquet', async () => {
    const inference = await readExample('iris-inference.json');
    const early = await stack.call<ErrorBody>('POST', '/inference-runs', inference);
    assert.equal(early.status, 400, early.text);
    assert.match(early.text, /model\.name/);

    const trained = await stack.call<{ workflowId: string }>('POST', '/runs', await readExample('iris.json'));
    assert.equal(trained.status, 201, trained.text);
    assert.equal((await pollUntil<RunDetail>(stack, `/runs/${trained.body.workflowId}`, closed)).run?.outcome, 'deployed');

    const started = await stack.call<{ workflowId: string }>('POST', '/inference-runs', inference);
    assert.equal(started.status, 201, started.text);
    const run = await pollUntil<RunDetail>(stack, `/inference-runs/${started.body.workflowId}`, closed);
    assert.equal(run.status, 'completed');
    assert.equal(run.run?.outcome, 'scored');
    assert.ok(run.run.metrics!.accuracy > 0.95);

    type Page = { runs: { workflowId: string }[] };
    const listed = await pollUntil<Page>(stack, '/inference-runs?pipeline=iris-scoring', (p) => p.runs.length === 1);
    assert.equal(listed.runs[0].workflowId, started.body.workflowId);
    const training = await stack.call<Page>('GET', '/runs');
    assert.ok(!training.body.runs.some((r) => r.workflowId === started.body.workflowId), '/runs lists training runs only');

    const predictions = `${stack.baseUrl}/inference-runs/${started.body.workflowId}/predictions`;
    assert.equal((await fetch(predictions)).status, 401, 'the predictions are data: a keyed read');
    const download = await fetch(predictions, { headers: { 'x-api-key': API_KEY } });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('cache-control'), 'no-store');
    assert.equal(download.headers.get('content-type'), 'application/vnd.apache.parquet');
    const bytes = new Uint8Array(await download.arrayBuffer());
    const { parquetReadObjects } = await import('hyparquet');
    const rows: Record<string, unknown>[] = await parquetReadObjects({ file: bytes.buffer });
    assert.equal(rows.length, 150);
    assert.equal(rows[0].id, 'flower-001');
  });
});
