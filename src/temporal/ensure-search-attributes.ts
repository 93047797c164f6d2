import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes';

/**
 * Registers our search attributes if the server lacks them (a fresh self-hosted cluster; the embedded dev server
 * registers them at start). Idempotent: only the missing ones are added. Several workers starting together on a fresh
 * cluster race to add them: a refusal is fine when another one has added them meanwhile.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const missing = await missingKeys(connection, namespace);
  if (!missing.length) return;
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const key of missing) searchAttributes[key.name] = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (error) {
    if ((await missingKeys(connection, namespace)).length) throw error;
  }
}

async function missingKeys(connection: Connection, namespace: string) {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  return SEARCH_ATTRIBUTE_KEYS.filter((key) => !known.has(key.name));
}
