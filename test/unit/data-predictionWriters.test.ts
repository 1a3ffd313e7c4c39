import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { predictionsWriter, type OutputColumn } from '../../ml/data/output';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlp-writers-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Two chunks with a missing number, a missing text and a text that needs CSV quoting. */
const chunks: OutputColumn[][] = [
  [
    { name: 'id', type: 'string', values: ['a', 'b, "quoted"'] },
    { name: 'prediction', type: 'number', values: Float64Array.of(1.5, Number.NaN) },
  ],
  [
    { name: 'id', type: 'string', values: [null] },
    { name: 'prediction', type: 'number', values: Float64Array.of(-2) },
  ],
];

async function write(format: 'csv' | 'jsonl' | 'parquet'): Promise<string> {
  const path = join(dir, `out.${format}`);
  const writer = await predictionsWriter(format, path);
  for (const columns of chunks) await writer.write(columns, columns[0].values.length);
  await writer.close();
  return path;
}

describe('predictions writers, chunk by chunk', () => {
  test('CSV: one header, quoted fields where needed, missing values empty', async () => {
    assert.equal(await readFile(await write('csv'), 'utf8'), 'id,prediction\na,1.5\n"b, ""quoted""",\n,-2\n');
  });

  test('JSONL: one object per row, missing values null', async () => {
    const lines = (await readFile(await write('jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [{ id: 'a', prediction: 1.5 }, { id: 'b, "quoted"', prediction: null }, { id: null, prediction: -2 }]);
  });

  test('Parquet: a row group per chunk, read back by hyparquet with nulls kept', async () => {
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
    const file = await asyncBufferFromFile(await write('parquet'));
    assert.equal((await parquetMetadataAsync(file)).row_groups.length, 2);
    assert.deepEqual(await parquetReadObjects({ file }), [{ id: 'a', prediction: 1.5 }, { id: 'b, "quoted"', prediction: null }, { id: null, prediction: -2 }]);
  });
});
