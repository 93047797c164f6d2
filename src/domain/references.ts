import type { Entity } from './entity';
import type { CrmObject, RecordRef, RecordSnapshot, Reference, SystemName } from './records';
import { REFERENCES } from './records';

/**
 * The entities a pass knows of for the records its records point at (a contact's company, a deal's contact). A
 * reference travels as the referenced record's entity id, or as `system:id` while that record has no entity, so that
 * records in different systems compare by what they point at.
 */
export interface ReferenceIndex {
  /** `object/system:recordId` → entity id (record ids are only unique per object) */
  byRecord: Record<string, string>;
  /** entity id → system → record id */
  links: Record<string, Record<SystemName, string>>;
}

export function referenceIndex(entities: readonly (Entity | null)[]): ReferenceIndex {
  const index: ReferenceIndex = { byRecord: {}, links: {} };
  for (const entity of entities) {
    if (!entity) continue;
    const links: Record<SystemName, string> = {};
    for (const [system, link] of Object.entries(entity.links)) {
      links[system] = link.recordId;
      index.byRecord[indexKey(entity.object, recordKey(system, link.recordId))] = entity.id;
    }
    index.links[entity.id] = links;
  }
  return index;
}

export function recordKey(system: SystemName, id: string): string {
  return `${system}:${id}`;
}

function indexKey(object: CrmObject, key: string): string {
  return `${object}/${key}`;
}

/** What a record points at through `reference`, in the hub's id space; undefined when the read did not say. */
export function referenceValueOf(record: RecordSnapshot, reference: Reference, index: ReferenceIndex): string | null | undefined {
  const id = record[reference.key];
  if (id === undefined) return undefined;
  if (id === null) return null;
  const key = recordKey(record.ref.system, id);
  return index.byRecord[indexKey(reference.object, key)] ?? key;
}

/** The referenced record's id in `system`: null for none, undefined when it has no record there yet. */
export function referenceIdIn(value: string | null, system: SystemName, index: ReferenceIndex): string | null | undefined {
  if (value === null) return null;
  const links = index.links[value];
  if (links) return links[system];
  const prefix = `${system}:`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

/** A record of the referenced entity to sync from, so it reaches another system: any record it has. */
export function referencedRecordOf(value: string, index: ReferenceIndex): { system: SystemName; id: string } | null {
  const links = index.links[value];
  if (links) {
    const [system, id] = Object.entries(links)[0] ?? [];
    return system && id ? { system, id } : null;
  }
  const colon = value.indexOf(':');
  return colon > 0 ? { system: value.slice(0, colon), id: value.slice(colon + 1) } : null;
}

/** The records the given records point at, as refs for one store lookup. */
export function referencedRefsOf(records: readonly (RecordSnapshot | null)[]): RecordRef[] {
  const seen = new Map<string, RecordRef>();
  for (const record of records) {
    if (!record) continue;
    for (const reference of REFERENCES[record.ref.object]) {
      const id = record[reference.key];
      if (id) seen.set(indexKey(reference.object, recordKey(record.ref.system, id)), { system: record.ref.system, object: reference.object, id });
    }
  }
  return [...seen.values()];
}
