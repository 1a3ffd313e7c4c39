import type { ColumnSource } from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import { type ChunkWriter, type OutputColumn } from './columns';

function columnSource(column: OutputColumn): ColumnSource {
  if (column.type === 'number') {
    const data = Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
    return { name: column.name, data, type: 'DOUBLE', nullable: true };
  }
  return { name: column.name, data: column.values as (string | boolean | null)[], type: column.type === 'string' ? 'STRING' : 'BOOLEAN', nullable: true };
}

/**
 * Parquet (Snappy) through hyparquet-writer, one row group per chunk: the writer flushes each row
 * group to the file, so memory holds one chunk, not the file.
 */
export async function parquetWriter(path: string): Promise<ChunkWriter> {
  const { ParquetWriter, fileWriter, schemaFromColumnData } = await import('hyparquet-writer');
  let writer: InstanceType<typeof ParquetWriter> | undefined;
  return {
    async write(columns: readonly OutputColumn[], rows: number) {
      const columnData = columns.map(columnSource);
      writer ??= new ParquetWriter({ writer: fileWriter(path), schema: schemaFromColumnData({ columnData }) });
      await writer.write({ columnData, rowGroupSize: Math.max(rows, 1) });
    },
    async close() {
      // A batch of zero rows never reaches here: validation refuses it.
      await writer?.finish();
    },
  };
}
