import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paramsKind } from '../../client/paramsKind';
import { InvalidInputError, parseInferenceParams } from '../../contract';

const fieldsOf = (input: unknown): string[] => {
  try {
    parseInferenceParams(input);
  } catch (error) {
    assert.ok(error instanceof InvalidInputError);
    return error.issues.map((i) => i.field);
  }
  return assert.fail('expected the params to be refused');
};

describe('InferenceParamsSchema', () => {
  test('fills the defaults: production model, parquet, model feature check on', () => {
    const p = parseInferenceParams({ pipeline: 'score', model: { name: 'iris' }, dataset: { source: 'b.csv' } });
    assert.equal(p.model.version, undefined);
    assert.equal(p.output.format, 'parquet');
    assert.equal(p.validation.checkModelFeatures, true);
    assert.deepEqual(p.passThrough, []);
    assert.equal(p.timeouts.predict.startToCloseSeconds, 4 * 3600);
  });

  test('names each bad field: an output format we do not write, a duplicated pass-through, a delimiter on parquet, a missing model name', () => {
    assert.deepEqual(fieldsOf({ pipeline: 's', model: { name: 'iris' }, dataset: { source: 'b.csv' }, output: { format: 'xlsx' } }), ['output.format']);
    assert.deepEqual(fieldsOf({ pipeline: 's', model: { name: 'iris' }, dataset: { source: 'b.csv' }, passThrough: ['id', 'id'] }), ['passThrough.1']);
    assert.deepEqual(fieldsOf({ pipeline: 's', model: { name: 'iris' }, dataset: { source: 'b.parquet', format: 'parquet', delimiter: ';' } }), ['dataset.delimiter']);
    assert.deepEqual(fieldsOf({ pipeline: 's', model: {}, dataset: { source: 'b.csv' } }), ['model.name']);
    assert.deepEqual(fieldsOf({ pipeline: 's', model: { name: 'iris', type: 'random_forest_classifier' }, dataset: { source: 'b.csv' } }), ['model.type']);
  });

  test('quarantine policies are refused for batch inference, naming the field: every row is scored', () => {
    const base = { pipeline: 'score', model: { name: 'iris' }, dataset: { source: 'b.csv' } };
    assert.deepEqual(fieldsOf({ ...base, validation: { onFailure: { ranges: 'quarantine' } } }), ['validation.onFailure']);
    assert.deepEqual(fieldsOf({ ...base, validation: { maxQuarantineFraction: 0.1 } }), ['validation.maxQuarantineFraction']);
  });

  test('paramsKind tells training params (a model type to fit) from inference params (a registered model)', () => {
    assert.equal(paramsKind({ model: { type: 'linear_regression' } }), 'training');
    assert.equal(paramsKind({ model: { name: 'iris' } }), 'inference');
    assert.equal(paramsKind(null), 'training');
  });
});
