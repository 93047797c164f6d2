import { pairOf, v3TypeName, type AssociationStore } from './association-store';
import { findObjectType, MODIFIED_PROPERTY, OBJECT_TYPES, type ObjectType } from './object-types';
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

/** Partners of type `to` that are not archived (HubSpot hides associations to archived records). */
export function livePartners(type: ObjectType, id: string, to: ObjectType, associations: AssociationStore, stores: Record<ObjectType, RecordStore>) {
  return associations.list(type, id, to).filter(({ toId }) => stores[to].get(toId)?.archived === false);
}

/**
 * The v3 `associations` block for reads with ?associations=: one entry per type, using v3 type names.
 * Types named without any association are omitted, as HubSpot omits them; so are unknown names.
 */
export function associationsBlock(
  type: ObjectType,
  id: string,
  wanted: string[],
  associations: AssociationStore,
  stores: Record<ObjectType, RecordStore>,
): SimplePublicObject['associations'] {
  const named = new Set(wanted.map(findObjectType));
  const block: NonNullable<SimplePublicObject['associations']> = {};
  for (const to of OBJECT_TYPES) {
    if (!pairOf(type, to) || !named.has(to)) continue;
    const results = livePartners(type, id, to, associations, stores).flatMap(({ toId, typeIds }) => typeIds.map((typeId) => ({ id: toId, type: v3TypeName(typeId) })));
    if (results.length > 0) block[to] = { results };
  }
  return Object.keys(block).length > 0 ? block : undefined;
}
