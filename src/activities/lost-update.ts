import type { FieldValues, RecordSnapshot } from '../domain/records';

/**
 * The lost-update check, the one place it is decided: no system offers a conditional write, so a write is refused
 * when any field it is about to write no longer holds the value the plan read (a person changed it meanwhile).
 * Returns the fields that changed; empty means the write may go ahead.
 */
export function changedSinceRead(current: RecordSnapshot, expected: FieldValues): string[] {
  return Object.keys(expected).filter((field) => (current.fields[field] ?? null) !== (expected[field] ?? null));
}
