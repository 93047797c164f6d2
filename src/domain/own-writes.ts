import type { PlannedWrite } from './plan';
import type { CrmObject, FieldValues, RecordRef } from './records';

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
