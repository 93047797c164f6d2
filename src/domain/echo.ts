import type { Entity } from './entity';
import type { SyncRules } from './schema/sync-rules';
import { REFERENCES, type CrmObject, type FieldValues, type RecordSnapshot, type SystemName } from './records';
import { referenceValueOf, type ReferenceIndex } from './references';
import { crossReferenceField } from './mapping';
import { changedFields } from './side-changes';

/**
 * The record holds exactly what its link says we last left there: typically the echo of our own write, so nothing
 * to do. Shared by the pass (stop early) and the ingresses (drop the event). A read older than the link's version
 * is not in sync either: the pass must read again.
 */
export function inSyncWithLink(rules: SyncRules, entity: Entity, record: RecordSnapshot, references: ReferenceIndex): boolean {
  const link = entity.links[record.ref.system];
  if (!link || link.recordId !== record.ref.id) return false;
  if (link.modifiedAt !== null && record.modifiedAt < link.modifiedAt) return false;
  for (const [system, id] of Object.entries(record.crossRefs ?? {})) {
    if (entity.links[system]?.recordId !== id) return false;
  }
  if (changedFields(rules, record.ref.object, record.ref.system, record.fields, link.base).length > 0) return false;
  return REFERENCES[record.ref.object].every((reference) => !Object.hasOwn(link.base, reference.field) || (referenceValueOf(record, reference, references) ?? null) === (link.base[reference.field] ?? null));
}

/**
 * The record holds its link's base with `unsaved` over it: values a pass recorded writing there (own_writes) and has
 * not saved into the entity yet. Its notification is most likely that write's echo, come before the pass's save (Zoho
 * notifies within about 50 ms; a busy worker saves later), but only the save can say so: a pass that never saves
 * leaves a record only its notification will bring a pass to (sync-correctness test 8).
 */
export function holdsUnsavedWrite(rules: SyncRules, entity: Entity, record: RecordSnapshot, references: ReferenceIndex, unsaved: FieldValues | null): boolean {
  const link = entity.links[record.ref.system];
  if (!link || !unsaved || Object.keys(unsaved).length === 0) return false;
  const saved = { ...entity, links: { ...entity.links, [record.ref.system]: { ...link, base: { ...link.base, ...unsaved } } } };
  return inSyncWithLink(rules, saved, record, references);
}

/**
 * The record does not yet name every linked record its system keeps a cross-reference for: a pass that created them
 * was cut short before writing the ids back, or handed that write to live sync (a backfill's command to the shop).
 */
export function lacksCrossRefs(rules: SyncRules, entity: Entity, record: RecordSnapshot): boolean {
  const { system, object } = record.ref;
  return Object.entries(crossRefsOf(rules, entity, system, object)).some(([other, id]) => record.crossRefs?.[other] !== id);
}

/** The ids of the entity's other records that `system`'s record keeps in its cross-reference fields once synced. */
export function crossRefsOf(rules: SyncRules, entity: Entity, system: SystemName, object: CrmObject): Record<SystemName, string> {
  const ids: Record<SystemName, string> = {};
  for (const [other, link] of Object.entries(entity.links)) {
    if (other !== system && crossReferenceField(rules, system, other, object) !== undefined) ids[other] = link.recordId;
  }
  return ids;
}
