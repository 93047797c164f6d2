import { z } from 'zod';
import type { OwnWrite } from '../domain/own-writes';
import type { FieldValues, RecordRef } from '../domain/records';
import type { Queryable } from './db';
import { NOW_MS } from './rows';

/**
 * Keeps the last value the hub wrote to each field of each record, before the write is sent: a pass whose merge base
 * was never saved (its process killed, its store down, its save refused as stale) leaves that value in the record
 * looking like a person's edit, and only this table tells the two apart afterwards.
 */
export async function recordOwnWrites(db: Queryable, writes: readonly OwnWrite[]): Promise<void> {
  const rows = fieldRows(writes);
  if (rows.length === 0) return;
  // The value it replaces is kept as the previous one, the same value too: two passes of one entity (its records'
  // workflows) may both write a value to a record, and when the second's check refuses it, the first's may have
  // landed (withdrawOwnWrites must then leave it standing).
  await db.query(
    `INSERT INTO own_writes (system, object, record_id, field, value, written_at)
     SELECT w.system, w.object, w.record_id, w.field, w.value, ${NOW_MS}
     FROM ${FIELD_ROWS}
     ON CONFLICT (system, object, record_id, field) DO UPDATE SET
       previous_value = own_writes.value, previous_at = own_writes.written_at, value = EXCLUDED.value, written_at = EXCLUDED.written_at`,
    fieldColumns(rows),
  );
}

/**
 * Writes that never landed (their check refused them, StaleReadError) taken back: where a field still holds the value
 * recorded for it, the value recorded before it is the last one we wrote there again, as of when it was recorded.
 * Left standing, the refused value would hide that earlier write: a pass finding the record still holding it would
 * take it for a person's edit, dated by our write's time, and carry it over a person's newer edit elsewhere.
 */
export async function withdrawOwnWrites(db: Queryable, writes: readonly OwnWrite[]): Promise<void> {
  const rows = fieldRows(writes);
  if (rows.length === 0) return;
  const held = `o.system = w.system AND o.object = w.object AND o.record_id = w.record_id AND o.field = w.field AND o.value IS NOT DISTINCT FROM w.value`;
  await db.query(
    `WITH w AS (SELECT * FROM ${FIELD_ROWS}),
     forgotten AS (DELETE FROM own_writes o USING w WHERE ${held} AND o.previous_at IS NULL)
     UPDATE own_writes o SET value = o.previous_value, written_at = o.previous_at, previous_value = NULL, previous_at = NULL
     FROM w WHERE ${held} AND o.previous_at IS NOT NULL`,
    fieldColumns(rows),
  );
}

const FIELD_ROWS = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS w (system, object, record_id, field, value)`;

type FieldRow = readonly [system: string, object: string, recordId: string, field: string, value: string | null];

/** One row per field: a statement may not upsert a row twice, and of two writes to one field the later one holds. */
function fieldRows(writes: readonly OwnWrite[]): FieldRow[] {
  const byField = new Map(
    writes.flatMap(({ ref, fields }) =>
      Object.entries(fields).map(([field, value]): [string, FieldRow] => [JSON.stringify([ref.system, ref.object, ref.id, field]), [ref.system, ref.object, ref.id, field, value ?? null]]),
    ),
  );
  return [...byField.values()];
}

const fieldColumns = (rows: readonly FieldRow[]) => [0, 1, 2, 3, 4].map((column) => rows.map((row) => row[column] ?? null));

const OwnWriteRow = z.object({ system: z.string(), object: z.string(), record_id: z.string(), field: z.string(), value: z.string().nullable() });

/**
 * The last value the hub wrote to each field of each record, in the order asked (null: never written to). `unsaved`:
 * only values recorded since the entity linking the record was last saved (none for a record no entity links), that
 * is what a pass has sent or is sending there and its link's base does not hold yet. Both times are whole milliseconds: a
 * value recorded in the millisecond of a save counts as saved (at worst an echo is signalled, never an edit dropped).
 */
export async function ownWritesOf(db: Queryable, refs: readonly RecordRef[], { unsaved = false } = {}): Promise<(FieldValues | null)[]> {
  if (refs.length === 0) return [];
  const sinceSaved = unsaved
    ? `JOIN entity_links l ON l.system = o.system AND l.object = o.object AND l.record_id = o.record_id
       JOIN entities e ON e.id = l.entity_id
       WHERE o.written_at > e.updated_at`
    : '';
  const rows = await db.query(
    `SELECT o.system, o.object, o.record_id, o.field, o.value
     FROM own_writes o
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS r (system, object, record_id) USING (system, object, record_id)
     ${sinceSaved}`,
    [refs.map((ref) => ref.system), refs.map((ref) => ref.object), refs.map((ref) => ref.id)],
  );
  const byRecord = new Map<string, FieldValues>();
  for (const row of rows.map((raw) => OwnWriteRow.parse(raw))) {
    const key = keyOf({ system: row.system, object: row.object, id: row.record_id });
    byRecord.set(key, { ...byRecord.get(key), [row.field]: row.value });
  }
  return refs.map((ref) => byRecord.get(keyOf(ref)) ?? null);
}

const keyOf = (ref: { system: string; object: string; id: string }) => `${ref.system}\u0000${ref.object}\u0000${ref.id}`;
