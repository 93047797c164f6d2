import { z } from 'zod';
import type { CrmObject, CrmSystem, RecordRef } from '../domain/records';
import { type Queryable, isUniqueViolation } from './db';
import { CrmObjectColumn, FieldValuesJson, IsoTimestamp, NOW_MS } from './rows';
import { type LinkedPair, type NewLinkedPair, StaleRevisionError } from './types';

const PairRow = z
  .object({
    object: CrmObjectColumn,
    hubspot_id: z.string().nullable(),
    zoho_id: z.string().nullable(),
    base: FieldValuesJson,
    hubspot_version: z.string().nullable(),
    zoho_version: z.string().nullable(),
    revision: z.coerce.number().int(),
    updated_at: IsoTimestamp,
  })
  .transform(
    (row): LinkedPair => ({
      object: row.object,
      hubspotId: row.hubspot_id,
      zohoId: row.zoho_id,
      base: row.base,
      hubspotVersion: row.hubspot_version,
      zohoVersion: row.zoho_version,
      revision: row.revision,
      updatedAt: row.updated_at,
    }),
  );

const COLUMNS = 'object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision, updated_at';

/** One fixed statement per system (no identifier built from input), each able to use its unique index. */
const SELECT_BY: Record<CrmSystem, string> = {
  hubspot: `SELECT ${COLUMNS} FROM linked_pairs WHERE object = $1 AND hubspot_id = $2`,
  zoho: `SELECT ${COLUMNS} FROM linked_pairs WHERE object = $1 AND zoho_id = $2`,
};
const DELETE_BY: Record<CrmSystem, string> = {
  hubspot: 'DELETE FROM linked_pairs WHERE object = $1 AND hubspot_id = $2',
  zoho: 'DELETE FROM linked_pairs WHERE object = $1 AND zoho_id = $2',
};

const INSERT = `INSERT INTO linked_pairs
  (object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision, updated_at)
  VALUES ($1, $2, $3, $4::jsonb, $5, $6, 1, ${NOW_MS})
  RETURNING ${COLUMNS}`;

/**
 * The row is found by either id, so an update may fill in the id that was missing (a pair first known from one
 * side gets its counterpart). Matching both ids on two different rows ends in a unique violation: stale too.
 */
const UPDATE = `UPDATE linked_pairs SET
    hubspot_id = $2, zoho_id = $3, base = $4::jsonb, hubspot_version = $5, zoho_version = $6,
    revision = revision + 1, updated_at = ${NOW_MS}
  WHERE object = $1 AND (hubspot_id = $2 OR zoho_id = $3) AND revision = $7
  RETURNING ${COLUMNS}`;

export async function getPair(db: Queryable, ref: RecordRef): Promise<LinkedPair | null> {
  const rows = await db.query(SELECT_BY[ref.system], [ref.object, ref.id]);
  return rows[0] === undefined ? null : PairRow.parse(rows[0]);
}

export async function savePair(db: Queryable, pair: NewLinkedPair, expectedRevision: number | null): Promise<LinkedPair> {
  const values = [
    pair.object,
    pair.hubspotId,
    pair.zohoId,
    JSON.stringify(pair.base),
    pair.hubspotVersion,
    pair.zohoVersion,
  ];
  const rows = await db
    .query(expectedRevision === null ? INSERT : UPDATE, expectedRevision === null ? values : [...values, expectedRevision])
    .catch((err: unknown) => {
      // Another pass linked one of these ids first: the caller must re-read and merge, as for a stale revision.
      throw isUniqueViolation(err) ? new StaleRevisionError(expectedRevision) : err;
    });
  if (rows[0] === undefined) throw new StaleRevisionError(expectedRevision);
  return PairRow.parse(rows[0]);
}

export async function deletePair(db: Queryable, ref: RecordRef): Promise<void> {
  await db.query(DELETE_BY[ref.system], [ref.object, ref.id]);
}

const CountRow = z.object({ count: z.coerce.number().int() });

export async function countPairs(db: Queryable, object?: CrmObject): Promise<number> {
  const rows = await db.query('SELECT count(*) AS count FROM linked_pairs WHERE $1::text IS NULL OR object = $1', [
    object ?? null,
  ]);
  return CountRow.parse(rows[0]).count;
}
