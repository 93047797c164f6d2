import type { CrmObject, FieldValues, SystemName } from './records';

/**
 * One system's record of an entity, and what the hub last synced with it. `base` holds the canonical values that
 * system held after our last sync (a value a write never reached stays as the system held it), so a field that
 * differs from its link's base was changed there by someone else.
 */
export interface Link {
  recordId: string;
  base: FieldValues;
  /** The version of the record our last read or write of it saw; an event at that version is our own echo. */
  version: string | null;
  /** `version` as epoch ms: a read older than this is stale and is never written anywhere. */
  modifiedAt: number | null;
}

/**
 * One synced thing (a person, a company) and its records in every system that holds it. `base` is the hub's agreed
 * canonical values (what the last pass merged); `revision` guards concurrent passes (optimistic concurrency).
 */
export interface Entity {
  id: string;
  object: CrmObject;
  base: FieldValues;
  links: Record<SystemName, Link>;
  revision: number;
  updatedAt: string;
}

/** What a pass saves: the whole entity, links included (a link left out is removed). */
export interface EntitySave {
  /** null: a new entity */
  id: string | null;
  object: CrmObject;
  base: FieldValues;
  links: Record<SystemName, Link>;
  /** null: a new entity; otherwise the revision the pass read */
  expectedRevision: number | null;
}

export function linkOf(entity: Entity | null | undefined, system: SystemName): Link | null {
  return entity && Object.hasOwn(entity.links, system) ? (entity.links[system] ?? null) : null;
}
