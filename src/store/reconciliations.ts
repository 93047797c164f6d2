import { z } from 'zod';
import type { Database, Queryable } from './db';
import { getMarker, setMarker } from './markers';
import type { ReconcileRun } from './types';

const cursorMarker = (system: string, object: string) => `reconcile.cursor.${system}.${object}`;

/** The newest modification time the last reconcile run of this system and object saw (epoch ms), or null. */
export async function reconcileCursor(db: Queryable, system: string, object: string): Promise<number | null> {
  const value = await getMarker(db, cursorMarker(system, object));
  return value === null ? null : Number(value);
}

/**
 * Stores a finished run: its cursor, and what it caught for the failure report. Keyed by the run's id, so a retried
 * activity counts the run once.
 */
export async function recordReconciliation(db: Database, run: ReconcileRun): Promise<void> {
  await db.transaction(async (tx) => {
    if (run.caught > 0) {
      await tx.query(
        `INSERT INTO reconciliations (run_id, system, object, caught) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id) DO NOTHING`,
        [run.runId, run.system, run.object, run.caught],
      );
    }
    await setMarker(tx, cursorMarker(run.system, run.object), String(run.cursor));
  });
}

const SumRow = z.object({ caught: z.coerce.number() });

/** Records reconciliation handed to live sync since `since` (ISO-8601), all systems together. */
export async function reconciledSince(db: Queryable, since: string): Promise<number> {
  const rows = await db.query('SELECT COALESCE(SUM(caught), 0) AS caught FROM reconciliations WHERE finished_at > $1::timestamptz', [since]);
  return rows[0] === undefined ? 0 : SumRow.parse(rows[0]).caught;
}
