import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidParamsError, parsePipelineParams, type PipelineParamsInput } from '../../contract';

const withDataset = (dataset: Partial<PipelineParamsInput['dataset']>): PipelineParamsInput => ({
  pipeline: 'p',
  dataset: { source: 'data.csv', target: 'y', ...dataset },
  model: { type: 'random_forest_classifier' },
  deploy: { metric: 'accuracy', threshold: 0.9 },
});

function refusedFields(input: PipelineParamsInput): string[] {
  try {
    parsePipelineParams(input);
  } catch (error) {
    assert.ok(error instanceof InvalidParamsError, String(error));
    return error.issues.map((i) => i.field);
  }
  assert.fail(`accepted ${JSON.stringify(input.dataset)}`);
}

describe('dataset params: formats, compression, delimiter, sheet', () => {
  test('the new formats and options are accepted', () => {
    const parsed = parsePipelineParams(withDataset({ source: 'exports/book.xlsx', format: 'xlsx', sheet: 'Q3 data' }));
    assert.deepEqual([parsed.dataset.format, parsed.dataset.sheet], ['xlsx', 'Q3 data']);
    assert.equal(parsePipelineParams(withDataset({ source: 'rows.parquet' })).dataset.format, undefined, 'the format stays optional');
    assert.equal(parsePipelineParams(withDataset({ source: 'dump', format: 'csv', compression: 'gzip', delimiter: ';' })).dataset.delimiter, ';');
    assert.equal(parsePipelineParams(withDataset({ delimiter: '|' })).dataset.delimiter, '|');
  });

  test('bad values are refused at their field', () => {
    assert.deepEqual(refusedFields(withDataset({ format: 'xls' as 'xlsx' })), ['dataset.format']);
    assert.deepEqual(refusedFields(withDataset({ compression: 'bz2' as 'gzip' })), ['dataset.compression']);
    for (const delimiter of [',,', '1', 'a', '"', '.', '\n', 'é']) assert.deepEqual(refusedFields(withDataset({ delimiter })), ['dataset.delimiter'], JSON.stringify(delimiter));
    assert.deepEqual(refusedFields(withDataset({ sheet: 'x'.repeat(32) })), ['dataset.sheet']);
  });

  test('options that cannot apply to the given format are refused', () => {
    assert.deepEqual(refusedFields(withDataset({ format: 'parquet', delimiter: ';' })), ['dataset.delimiter']);
    assert.deepEqual(refusedFields(withDataset({ format: 'csv', sheet: 'data' })), ['dataset.sheet']);
  });
});
