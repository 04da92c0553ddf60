// Registers the project's custom search attributes on a self-hosted Temporal server or the dev
// server (idempotent). A dev server restarted on an existing SQLite file does not add attributes
// given on its command line, so start-up always calls this. Temporal Cloud registers them in its
// UI or with tcld instead (README).
import proto from '@temporalio/proto';
import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { allSearchAttributes } from './search-attributes.js';

const { temporal } = proto;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const INDEXED: Record<string, IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Adds whichever of the project's search attributes are missing; returns the names it added. */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = allSearchAttributes.filter((k) => !have.has(k.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((k) => [
        k.name,
        INDEXED[k.type] ?? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      ]),
    ),
  });
  return missing.map((k) => k.name);
}
