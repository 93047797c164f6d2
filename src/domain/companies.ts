import type { Entity } from './entity';
import type { RecordRef, RecordSnapshot, SystemName } from './records';

/**
 * The company entities a pass knows of. A contact's company travels as its entity id, or as `system:id` while the
 * company has no entity, so that contacts in different systems compare by the company they point at.
 */
export interface CompanyIndex {
  /** `system:recordId` → entity id */
  byRecord: Record<string, string>;
  /** entity id → system → record id */
  links: Record<string, Record<SystemName, string>>;
}

export function companyIndex(entities: readonly (Entity | null)[]): CompanyIndex {
  const index: CompanyIndex = { byRecord: {}, links: {} };
  for (const entity of entities) {
    if (!entity) continue;
    const links: Record<SystemName, string> = {};
    for (const [system, link] of Object.entries(entity.links)) {
      links[system] = link.recordId;
      index.byRecord[recordKey(system, link.recordId)] = entity.id;
    }
    index.links[entity.id] = links;
  }
  return index;
}

export function recordKey(system: SystemName, id: string): string {
  return `${system}:${id}`;
}

/** The company a record points at, in the hub's id space. */
export function companyValueOf(record: RecordSnapshot, index: CompanyIndex): string | null {
  const id = record.companyId ?? null;
  if (id === null) return null;
  const key = recordKey(record.ref.system, id);
  return index.byRecord[key] ?? key;
}

/** The company's record id in `system`: null for no company, undefined when it has no record there yet. */
export function companyIdIn(value: string | null, system: SystemName, index: CompanyIndex): string | null | undefined {
  if (value === null) return null;
  const links = index.links[value];
  if (links) return links[system];
  const prefix = `${system}:`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}

/** A record of the company to sync from, so it reaches another system: any record it has. */
export function companyRecordOf(value: string, index: CompanyIndex): { system: SystemName; id: string } | null {
  const links = index.links[value];
  if (links) {
    const [system, id] = Object.entries(links)[0] ?? [];
    return system && id ? { system, id } : null;
  }
  const colon = value.indexOf(':');
  return colon > 0 ? { system: value.slice(0, colon), id: value.slice(colon + 1) } : null;
}

/** Company record refs a set of contacts points at, to look their entities up in one call. */
/** The company records the given records name, as refs for one store lookup. */
export function companyRefsOf(records: readonly (RecordSnapshot | null)[]): RecordRef[] {
  return companyKeysOf(records).map((c) => ({ ...c, object: 'company' as const }));
}

export function companyKeysOf(records: readonly (RecordSnapshot | null)[]): { system: SystemName; id: string }[] {
  const seen = new Map<string, { system: SystemName; id: string }>();
  for (const record of records) {
    if (record?.companyId) seen.set(recordKey(record.ref.system, record.companyId), { system: record.ref.system, id: record.companyId });
  }
  return [...seen.values()];
}
