import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parsePipelineParams, runKey, type PipelineParams, type PipelineStatus } from '../../contract';
import { checkpointKey } from '../../activities/checkpoints';
import { readExample } from '../helpers/fixtures';
import { activityEnv, activitySandbox, newRun, type ActivitySandbox } from '../helpers/activities';

const SCRIPT = '<script>alert("pwned")</script>';

function failedStatus(): PipelineStatus {
  return {
    pipeline: 'iris',
    modelType: 'random_forest_classifier',
    stage: 'failed',
    outcome: 'failed',
    error: `ingest failed: bad cell ${SCRIPT} & more`,
    artifacts: {},
    warnings: [],
    steps: [
      { name: 'ingest', state: 'failed', attempt: 1, startedAt: '2024-01-01T00:00:00.000Z', endedAt: '2024-01-01T00:00:01.000Z', error: `bad cell ${SCRIPT}` },
      { name: 'validate', state: 'skipped', attempt: 0 },
    ],
  };
}

describe('report activity', () => {
  let box: ActivitySandbox;
  let params: PipelineParams;
  before(async () => {
    box = await activitySandbox();
    params = parsePipelineParams(await readExample('iris.json'));
  });
  after(async () => {
    await box.sandbox.remove();
  });

  test('no URL in the report keeps its credentials (the report is an open read)', async () => {
    const leaky = { ...failedStatus(), error: 'ingest failed: GET https://bob:hunter2@data.example.com/d.csv?token=t0k: 404' };
    const withSource = { ...params, dataset: { ...params.dataset, source: 'https://bob:hunter2@data.example.com/d.csv?token=t0k' } };
    const result = await activityEnv().call(box.activities.report, { run: newRun(), status: leaky, params: withSource });
    for (const uri of [result.markdown.uri, result.html.uri]) {
      const text = await readFile(fileURLToPath(uri), 'utf8');
      assert.ok(!/bob|hunter2|t0k/.test(text), text);
      assert.match(text, /data\.example\.com\/d\.csv\?token=\*\*\*/);
    }
  });

  test('writes report.md and report.html under the run report folder, escaping the error in html', async () => {
    const run = newRun();
    const result = await activityEnv().call(box.activities.report, { run, status: failedStatus(), params });
    assert.equal(result.markdown.key, runKey(run, 'report', 'report.md'));
    assert.equal(result.html.key, runKey(run, 'report', 'report.html'));
    assert.deepEqual(await box.sandbox.store.list(runKey(run, 'report', '')), [runKey(run, 'report', 'report.html'), runKey(run, 'report', 'report.md')]);

    const markdown = await readFile(fileURLToPath(result.markdown.uri), 'utf8');
    assert.match(markdown, /^# ML pipeline report: iris$/m);
    assert.match(markdown, /Outcome: failed/);
    assert.match(markdown, /ingest failed: bad cell/);

    const html = await readFile(fileURLToPath(result.html.uri), 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.ok(!html.includes('<script'), 'no raw <script> tag from the error text reaches the html');
    assert.ok(html.includes('ingest failed: bad cell &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; more'), html);
    assert.equal(result.html.bytes, Buffer.byteLength(html));
  });

  test("removes the preprocessed splits and checkpoints (shards' included) after the run, keeping the transform, the training profile and everything else", async () => {
    const run = newRun();
    const store = box.sandbox.store;
    const keys = {
      train: runKey(run, 'preprocessed', 'train.bin'),
      test: runKey(run, 'preprocessed', 'test.bin'),
      transform: runKey(run, 'preprocessed', 'transform.json'),
      profile: runKey(run, 'preprocessed', 'profile.json'),
      checkpoint: checkpointKey(run),
      shardCheckpoint: checkpointKey(run, { from: 0, to: 50 }),
      shard: runKey(run, 'checkpoints', 'shard-0-50.json'),
      model: runKey(run, 'model', 'model.json'),
      table: runKey(run, 'ingested', 'table.bin'),
    };
    for (const key of Object.values(keys)) await store.put(key, 'x');
    await activityEnv().call(box.activities.report, { run, status: failedStatus(), params });
    const left = await Promise.all(Object.entries(keys).map(async ([name, key]) => [name, await store.exists(key)]));
    assert.deepEqual(Object.fromEntries(left), { train: false, test: false, transform: true, profile: true, checkpoint: false, shardCheckpoint: false, shard: false, model: true, table: true });
  });

  test('keeps the intermediates when the run asks to', async () => {
    const run = newRun();
    const key = runKey(run, 'preprocessed', 'train.bin');
    await box.sandbox.store.put(key, 'x');
    await activityEnv().call(box.activities.report, { run, status: failedStatus(), params: { ...params, keepIntermediates: true } });
    assert.equal(await box.sandbox.store.exists(key), true);
  });

  test("includes the run's own evaluation and validation artifacts when they exist", async () => {
    const run = newRun();
    await box.sandbox.store.put(
      runKey(run, 'evaluation', 'metrics.json'),
      JSON.stringify({
        classes: ['setosa', 'versicolor', 'virginica'],
        confusionMatrix: [
          [15, 0, 0],
          [0, 13, 2],
          [0, 1, 14],
        ],
      }),
    );
    await box.sandbox.store.put(
      runKey(run, 'validation', 'report.json'),
      JSON.stringify({ passed: false, rowCount: 150, expectations: [{ expectation: 'minRows', passed: false, observed: 150, message: `150 rows, fewer than 1000 ${SCRIPT}` }] }),
    );
    const status: PipelineStatus = { ...failedStatus(), error: undefined };
    const result = await activityEnv().call(box.activities.report, { run, status, params });
    const markdown = (await box.sandbox.store.get(result.markdown.key)).toString('utf8');
    assert.match(markdown, /Confusion matrix/);
    assert.match(markdown, /\| versicolor \| 0 \| 13 \| 2 \|/);
    assert.match(markdown, /Validation: 1 failed/);
    const html = (await box.sandbox.store.get(result.html.key)).toString('utf8');
    assert.ok(!html.includes('<script'), 'validation messages are escaped too');
    assert.ok(html.includes('fewer than 1000 &lt;script&gt;'));
  });
});
