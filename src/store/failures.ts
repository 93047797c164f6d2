import { z } from 'zod';
import type { RecordRef } from '../domain/records';
import type { Queryable } from './db';
import { CrmObjectColumn, IsoTimestamp, NOW_MS, SystemColumn } from './rows';
import type { FailureInput, FailureRow } from './types';

const FailureRecord = z
  .object({
    system: SystemColumn,
    object: CrmObjectColumn,
    record_id: z.string(),
    operation: z.enum(['create', 'update', 'delete', 'link', 'read']),
    category: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), reason: z.string() })),
    workflow_id: z.string(),
    first_failed_at: IsoTimestamp,
    last_failed_at: IsoTimestamp,
    attempts: z.coerce.number().int(),
    recovered_at: IsoTimestamp.nullable(),
  })
  .transform(
    (row): FailureRow => ({
      ref: { system: row.system, object: row.object, id: row.record_id },
      operation: row.operation,
      category: row.category,
      message: row.message,
      fields: row.fields,
      workflowId: row.workflow_id,
      firstFailedAt: row.first_failed_at,
      lastFailedAt: row.last_failed_at,
      attempts: row.attempts,
      recoveredAt: row.recovered_at,
    }),
  );

/**
 * One row per (record, operation). A repeat failure of an open row counts up and keeps first_failed_at; a
 * failure after recovery reopens the row as a new episode (attempts and first_failed_at start again), so the
 * report never shows last month's first failure for today's problem.
 */
const UPSERT = `INSERT INTO sync_failures AS f
    (system, object, record_id, operation, category, message, fields, workflow_id,
     first_failed_at, last_failed_at, attempts, recovered_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, ${NOW_MS}, ${NOW_MS}, 1, NULL)
  ON CONFLICT (system, object, record_id, operation) DO UPDATE SET
    category = EXCLUDED.category,
    message = EXCLUDED.message,
    fields = EXCLUDED.fields,
    workflow_id = EXCLUDED.workflow_id,
    last_failed_at = EXCLUDED.last_failed_at,
    attempts = CASE WHEN f.recovered_at IS NULL THEN f.attempts + 1 ELSE 1 END,
    first_failed_at = CASE WHEN f.recovered_at IS NULL THEN f.first_failed_at ELSE EXCLUDED.first_failed_at END,
    recovered_at = NULL`;

export async function recordFailure(db: Queryable, failure: FailureInput): Promise<void> {
  const { ref } = failure;
  await db.query(UPSERT, [
    ref.system,
    ref.object,
    ref.id,
    failure.operation,
    failure.category,
    failure.message,
    JSON.stringify(failure.fields),
    failure.workflowId,
  ]);
}

/** Any successful pass of a record clears all its open failures, whatever operation failed before. */
export async function recordSuccess(db: Queryable, ref: RecordRef): Promise<void> {
  await db.query(
    `UPDATE sync_failures SET recovered_at = ${NOW_MS}
     WHERE system = $1 AND object = $2 AND record_id = $3 AND recovered_at IS NULL`,
    [ref.system, ref.object, ref.id],
  );
}

export async function failuresSince(db: Queryable, since: string): Promise<FailureRow[]> {
  const rows = await db.query(
    `SELECT system, object, record_id, operation, category, message, fields, workflow_id,
            first_failed_at, last_failed_at, attempts, recovered_at
     FROM sync_failures
     WHERE recovered_at IS NULL OR recovered_at > $1::timestamptz
     ORDER BY first_failed_at, id`,
    [since],
  );
  return rows.map((row) => FailureRecord.parse(row));
}
