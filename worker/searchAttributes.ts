import { type Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../contract';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_TYPE = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
} as const;

/**
 * Registers our search attributes through the operator API: for servers started without them
 * (the time-skipping test server; `start-dev` gets them as flags instead).
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    Object.values(SEARCH_ATTRIBUTES).map((key) => [key.name, INDEXED_TYPE[key.type]]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
