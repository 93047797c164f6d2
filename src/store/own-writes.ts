import { z } from 'zod';
import type { OwnWrite } from '../domain/own-writes';
import type { FieldValues, RecordRef } from '../domain/records';
import type { Queryable } from './db';

/**
 * Keeps the last value the hub wrote to each field of each record, before the write is sent: a pass whose merge base
 * was never saved (its process killed, its store down, its save refused as stale) leaves that value in the record
 * looking like a person's edit, and only this table tells the two apart afterwards.
 */
export async function recordOwnWrites(db: Queryable, writes: readonly OwnWrite[]): Promise<void> {
  const rows = writes.flatMap(({ ref, fields }) => Object.entries(fields).map(([field, value]) => [ref.system, ref.object, ref.id, field, value] as const));
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO own_writes (system, object, record_id, field, value, written_at)
     SELECT w.system, w.object, w.record_id, w.field, w.value, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS w (system, object, record_id, field, value)
     ON CONFLICT (system, object, record_id, field) DO UPDATE SET value = EXCLUDED.value, written_at = EXCLUDED.written_at`,
    [0, 1, 2, 3, 4].map((column) => rows.map((row) => row[column] ?? null)),
  );
}

const OwnWriteRow = z.object({ system: z.string(), object: z.string(), record_id: z.string(), field: z.string(), value: z.string().nullable() });

/** The last value the hub wrote to each field of each record, in the order asked (null: never written to). */
export async function ownWritesOf(db: Queryable, refs: readonly RecordRef[]): Promise<(FieldValues | null)[]> {
  if (refs.length === 0) return [];
  const rows = await db.query(
    `SELECT o.system, o.object, o.record_id, o.field, o.value
     FROM own_writes o
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS r (system, object, record_id) USING (system, object, record_id)`,
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
