import { V3_TYPE_NAME, type AssociationStore } from './association-store';
import { otherType, type ObjectType, MODIFIED_PROPERTY } from './object-types';
import { DEFAULT_READ_PROPERTIES } from './property-defaults';
import type { RecordStore } from './store';
import type { HistoryEntry, StoredRecord } from './store-types';

export interface SimplePublicObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  propertiesWithHistory?: Record<string, HistoryEntry[]>;
  associations?: Record<string, { results: Array<{ id: string; type: string }> }>;
}

export interface ReadShape {
  /** Requested properties; empty means HubSpot's defaults. */
  properties: string[];
  propertiesWithHistory?: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Picks the properties a read asked for. Requested-but-empty ones come back as null, and the id, create
 * date and modification stamp are always included, as HubSpot does.
 */
export function pickProperties(type: ObjectType, properties: Record<string, string>, requested: string[]): Record<string, string | null> {
  const names = requested.length > 0 ? [...requested, 'hs_object_id', 'createdate', MODIFIED_PROPERTY[type]] : DEFAULT_READ_PROPERTIES[type];
  const out: Record<string, string | null> = {};
  for (const name of [...new Set(names)].sort()) out[name] = properties[name] ?? null;
  return out;
}

function history(record: StoredRecord, names: string[]): Record<string, HistoryEntry[]> {
  const out: Record<string, HistoryEntry[]> = {};
  for (const name of names) {
    const kept = record.history?.[name];
    if (kept) out[name] = kept;
    else {
      const value = record.properties[name];
      out[name] = value === undefined ? [] : [{ value, timestamp: iso(record.createdAt), sourceType: record.createdBy === 'UI' ? 'CRM_UI' : 'INTEGRATION' }];
    }
  }
  return out;
}

export function toPublic(type: ObjectType, record: StoredRecord, shape: ReadShape): SimplePublicObject {
  const out: SimplePublicObject = {
    id: record.id,
    properties: pickProperties(type, record.properties, shape.properties),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
  };
  if (record.archived && record.archivedAt !== undefined) out.archivedAt = iso(record.archivedAt);
  if (shape.propertiesWithHistory && shape.propertiesWithHistory.length > 0) {
    out.propertiesWithHistory = history(record, shape.propertiesWithHistory);
  }
  return out;
}

/**
 * The v3 `associations` block for reads with ?associations=: one entry per type, using v3 type names.
 * Omitted when there are none, as HubSpot omits it. Archived partners are hidden.
 */
export function associationsBlock(
  type: ObjectType,
  id: string,
  wanted: string[],
  associations: AssociationStore,
  stores: Record<ObjectType, RecordStore>,
): SimplePublicObject['associations'] {
  const other = otherType(type);
  const names = other === 'companies' ? ['companies', 'company', '0-2'] : ['contacts', 'contact', '0-1'];
  if (!wanted.some((name) => names.includes(name.toLowerCase()))) return undefined;
  const results: Array<{ id: string; type: string }> = [];
  for (const { toId, typeIds } of associations.list(type, id)) {
    if (stores[other].get(toId)?.archived !== false) continue;
    for (const typeId of typeIds) results.push({ id: toId, type: V3_TYPE_NAME[typeId] ?? String(typeId) });
  }
  return results.length > 0 ? { [other]: { results } } : undefined;
}
