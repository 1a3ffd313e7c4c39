import { type Table } from './table';
import { tableFromObjects } from './json';

/** A table from in-memory records (e.g. a prediction request), typed like JSON; errors name the record index. */
export function tableFromRecords(records: readonly Record<string, unknown>[]): Table {
  return tableFromObjects(records, (record) => ({ record }));
}
