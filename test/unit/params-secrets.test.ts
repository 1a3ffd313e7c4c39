import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidInputError,
  parseInferenceParams,
  parsePipelineParams,
  PipelineParamsSchema,
  secretNameOf,
  type PipelineParamsInput,
} from '../../contract';

const base: PipelineParamsInput = {
  pipeline: 'p',
  dataset: { source: 'data.csv', target: 'y' },
  model: { type: 'random_forest_classifier' },
  deploy: { metric: 'accuracy', threshold: 0.9 },
};

/** Each refused field with its message. */
function refused(parse: () => unknown): Record<string, string> {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof InvalidInputError, String(error));
    return Object.fromEntries(error.issues.map((i) => [i.field, i.message]));
  }
  assert.fail('accepted');
}

// The object form is what users write; the params type only knows the string it becomes.
const ref = (name: string) => ({ secretRef: name }) as unknown as string;

describe('secret references in params', () => {
  test('the object form becomes the string secret://NAME in every field that takes one', () => {
    const parsed = parsePipelineParams({
      ...base,
      dataset: { source: ref('TRAIN_DATA'), target: 'y', format: 'csv' },
      sensor: { marker: ref('ready.marker'), pokeIntervalSeconds: 5 },
      notifications: { webhooks: [ref('slack-hook'), 'https://hooks.example.com/ml'] },
    });
    assert.equal(parsed.dataset.source, 'secret://TRAIN_DATA');
    assert.equal(parsed.sensor.marker, 'secret://ready.marker');
    assert.deepEqual(parsed.notifications.webhooks, ['secret://slack-hook', 'https://hooks.example.com/ml']);
  });

  test('the string form is accepted as it is, and parsing again keeps it (lineage params re-parsed by a retraining)', () => {
    const input = { ...base, dataset: { source: 'secret://_data', target: 'y' }, notifications: { webhooks: ['secret://HOOK'] } };
    const once = parsePipelineParams(input);
    assert.equal(once.dataset.source, 'secret://_data');
    const twice = parsePipelineParams(JSON.parse(JSON.stringify(once)));
    assert.deepEqual([twice.dataset.source, twice.notifications.webhooks], ['secret://_data', ['secret://HOOK']]);
  });

  test('inference params take references in the same fields', () => {
    const parsed = parseInferenceParams({
      pipeline: 'score',
      model: { name: 'iris' },
      dataset: { source: ref('BATCH') },
      sensor: { marker: 'secret://BATCH_READY', pokeIntervalSeconds: 5 },
      notifications: { webhooks: [ref('HOOK')] },
    });
    assert.deepEqual([parsed.dataset.source, parsed.sensor.marker, parsed.notifications.webhooks], ['secret://BATCH', 'secret://BATCH_READY', ['secret://HOOK']]);
  });

  test('a bad name is refused naming the field, in either form', () => {
    for (const bad of ['../etc/passwd', '', '1starts-with-digit', 'has space', 'a/b', 'x'.repeat(129)]) {
      const objectForm = refused(() => parsePipelineParams({ ...base, dataset: { source: ref(bad), target: 'y' } }));
      assert.deepEqual(Object.keys(objectForm), ['dataset.source.secretRef'], `${JSON.stringify(bad)}: ${JSON.stringify(objectForm)}`);
      assert.match(objectForm['dataset.source.secretRef'], /secret name/);
      const stringForm = refused(() => parsePipelineParams({ ...base, notifications: { webhooks: [`secret://${bad}`] } }));
      assert.deepEqual(Object.keys(stringForm), ['notifications.webhooks.0'], JSON.stringify(stringForm));
      assert.match(stringForm['notifications.webhooks.0'], /invalid secret reference/);
    }
    const marker = refused(() => parsePipelineParams({ ...base, sensor: { marker: 'secret://../x', pokeIntervalSeconds: 5 } }));
    assert.deepEqual(Object.keys(marker), ['sensor.marker']);
  });

  test('names as long as allowed, with dots, dashes and underscores, are accepted', () => {
    for (const name of ['_', 'A', 'a.b-c_d', `a${'x'.repeat(127)}`]) {
      assert.equal(parsePipelineParams({ ...base, dataset: { source: ref(name), target: 'y' } }).dataset.source, `secret://${name}`);
      assert.equal(secretNameOf(`secret://${name}`), name);
    }
  });

  test('the object form takes only secretRef, and a webhook literal must still be an http(s) URL', () => {
    const extra = refused(() => parsePipelineParams({ ...base, notifications: { webhooks: [{ secretRef: 'HOOK', value: 'x' } as unknown as string] } }));
    assert.deepEqual(extra, { 'notifications.webhooks.0.value': 'unknown field' });
    const ftp = refused(() => parsePipelineParams({ ...base, notifications: { webhooks: ['ftp://example.com/x'] } }));
    assert.deepEqual(Object.keys(ftp), ['notifications.webhooks.0']);
    const number = refused(() => parsePipelineParams({ ...base, dataset: { source: 42 as unknown as string, target: 'y' } }));
    assert.deepEqual(Object.keys(number), ['dataset.source']);
  });

  test('a secret marker is checked at most every 5 s, as it may hold an http(s) URL', () => {
    const issues = refused(() => parsePipelineParams({ ...base, sensor: { marker: ref('READY'), pokeIntervalSeconds: 1 } }));
    assert.deepEqual(Object.keys(issues), ['sensor.pokeIntervalSeconds']);
  });

  test('the OpenAPI-facing descriptions say how to name a secret', () => {
    const json = JSON.stringify(PipelineParamsSchema.toJSONSchema({ io: 'input' }));
    assert.ok(json.includes('secretRef'), 'the object form is in the schema');
    assert.equal((json.match(/secret:\/\/NAME/g) ?? []).length >= 3, true, 'source, marker and webhooks describe the reference');
  });
});
