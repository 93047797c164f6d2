import type { PlannedWrite } from './plan';
import type { Link } from './entity';
import type { CrmObject, FieldValues, RecordRef, RecordSnapshot } from './records';

/** What a pass is about to write to one record: every field's new value. */
export interface OwnWrite {
  ref: RecordRef;
  fields: FieldValues;
}

/**
 * The updates a plan sends, to be recorded before they are sent. A record being created has no base yet, so nothing
 * in it can be mistaken for a person's edit.
 */
export function ownWritesOf(object: CrmObject, writes: readonly (PlannedWrite | null)[]): OwnWrite[] {
  return writes.flatMap((write) =>
    write?.operation === 'update' && write.id !== null && Object.keys(write.fields).length > 0 ? [{ ref: { system: write.system, object, id: write.id }, fields: write.fields }] : [],
  );
}

/**
 * Fields of one record to look back on: the values we wrote, the time after which our write must have landed, and what
 * the record's link held in those fields at its last sync.
 */
export interface WrittenSince {
  id: string;
  fields: FieldValues;
  since: number;
  base: FieldValues;
}

/**
 * The fields of a record that still hold what we last wrote there while its link holds something else: the pass that
 * wrote them never saved (its task timed out between the write and the look-back after it, its worker was killed),
 * and what they replaced may be a person's edit that nothing else remembers. Null when there are none, or nothing to
 * date them by (a record never synced: every value in it is new anyway).
 */
export function unsavedWritesStanding(record: RecordSnapshot | null, written: FieldValues | null | undefined, link: Link | null): WrittenSince | null {
  if (!record || !written || !link || link.recordId !== record.ref.id || link.modifiedAt === null) return null;
  const standing = Object.entries(written).filter(([field, value]) => Object.hasOwn(record.fields, field) && (record.fields[field] ?? null) === value && (link.base[field] ?? null) !== value);
  if (standing.length === 0) return null;
  return { id: record.ref.id, fields: Object.fromEntries(standing), since: link.modifiedAt, base: Object.fromEntries(standing.map(([field]) => [field, link.base[field] ?? null])) };
}
