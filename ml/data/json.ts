import { type Table } from './table';
import { type DataLocation } from './errors';
import { ObjectColumns } from './objectColumns';
import { JsonArrayParser } from './jsonArray';
import { JsonLinesParser } from './jsonLines';

/** A table from plain objects, one per row (see ObjectColumns); errors are located by `locate`. */
export function tableFromObjects(objects: readonly unknown[], locate: (index: number) => DataLocation): Table {
  const columns = new ObjectColumns();
  columns.reserve(objects.length);
  objects.forEach((object, index) => columns.add(object, locate(index)));
  return columns.finish();
}

/** A JSON array of objects held in memory; errors name the record index. */
export function parseJson(input: Uint8Array, file: string, maxRecordBytes?: number): Table {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const parser = new JsonArrayParser(file, maxRecordBytes);
  parser.consume(bytes, bytes.length, true);
  return parser.finish();
}

/** JSON Lines held in memory: one object per line, blank lines skipped; errors name the line. */
export function parseJsonLines(input: Uint8Array, file: string, maxRecordBytes?: number): Table {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const parser = new JsonLinesParser(file, maxRecordBytes);
  parser.consume(bytes, bytes.length, true);
  return parser.finish();
}
