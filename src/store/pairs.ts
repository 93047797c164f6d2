import { z } from 'zod';
import type { CrmObject, CrmSystem, RecordRef } from '../domain/records';
import { type Queryable, type Row, isUniqueViolation } from './db';
import { CrmObjectColumn, FieldValuesJson, IsoTimestamp, NOW_MS } from './rows';
import type { LinkedPair, NewLinkedPair, PairSave } from './types';

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

/**
 * One fixed statement per system (no identifier built from input), each able to use its unique index. Lookups and
 * saves take whole pages: PGlite runs each statement synchronously on the worker's thread, so a backfill page of 100
 * records costs a few statements rather than hundreds, and the live activities sharing that thread wait less.
 */
const SELECT_BY: Record<CrmSystem, string> = {
  hubspot: `SELECT ${COLUMNS} FROM linked_pairs WHERE object = $1 AND hubspot_id = ANY($2::text[])`,
  zoho: `SELECT ${COLUMNS} FROM linked_pairs WHERE object = $1 AND zoho_id = ANY($2::text[])`,
};
const DELETE_BY: Record<CrmSystem, string> = {
  hubspot: 'DELETE FROM linked_pairs WHERE object = $1 AND hubspot_id = $2',
  zoho: 'DELETE FROM linked_pairs WHERE object = $1 AND zoho_id = $2',
};

/** The rows of a batch as parallel arrays: one parameter per column, whatever the batch size. */
const BATCH = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
  AS b(object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision)`;

/** A pair whose id is already linked elsewhere is left out of the result (stale), as a conflicting update is. */
const INSERT = `INSERT INTO linked_pairs
  (object, hubspot_id, zoho_id, base, hubspot_version, zoho_version, revision, updated_at)
  SELECT object, hubspot_id, zoho_id, base::jsonb, hubspot_version, zoho_version, 1, ${NOW_MS} FROM ${BATCH}
  ON CONFLICT DO NOTHING
  RETURNING ${COLUMNS}`;

/**
 * The row is found by either id, so an update may fill in the id that was missing (a pair first known from one
 * side gets its counterpart). Filling in an id that another row holds is a unique violation: that batch is redone
 * row by row, where the violation marks just its own save stale.
 */
const UPDATE = `UPDATE linked_pairs p SET
    hubspot_id = b.hubspot_id, zoho_id = b.zoho_id, base = b.base::jsonb, hubspot_version = b.hubspot_version,
    zoho_version = b.zoho_version, revision = p.revision + 1, updated_at = ${NOW_MS}
  FROM ${BATCH}
  WHERE p.object = b.object AND (p.hubspot_id = b.hubspot_id OR p.zoho_id = b.zoho_id) AND p.revision = b.revision
  RETURNING ${COLUMNS.split(', ').map((column) => `p.${column}`).join(', ')}`;

export async function getPairs(db: Queryable, refs: readonly RecordRef[]): Promise<(LinkedPair | null)[]> {
  const found = new Map<string, LinkedPair>();
  for (const [group, ids] of groupIds(refs)) {
    const [system, object] = group.split(':') as [CrmSystem, CrmObject];
    for (const row of await db.query(SELECT_BY[system], [object, ids])) {
      const pair = PairRow.parse(row);
      found.set(refKey({ system, object, id: (system === 'hubspot' ? pair.hubspotId : pair.zohoId) ?? '' }), pair);
    }
  }
  return refs.map((ref) => found.get(refKey(ref)) ?? null);
}

/**
 * Inserts each new pair and updates each known one whose revision is still the expected one. Returns, in order, the
 * stored row with its new revision, or null for a save that lost to a concurrent one (stale: re-read and merge).
 */
export async function savePairs(db: Queryable, saves: readonly PairSave[]): Promise<(LinkedPair | null)[]> {
  const inserts = saves.filter((save) => save.expectedRevision === null);
  const updates = saves.filter((save) => save.expectedRevision !== null);
  const stored = new Map<string, LinkedPair>();
  const keep = (rows: Row[]) => {
    for (const row of rows) {
      const pair = PairRow.parse(row);
      stored.set(pairKey(pair), pair);
    }
  };
  if (inserts.length > 0) keep(await db.query(INSERT, columns(inserts)));
  if (updates.length > 0) {
    const rows = await db.query(UPDATE, columns(updates)).catch(async (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      const one: Row[] = [];
      for (const save of updates) one.push(...(await db.query(UPDATE, columns([save])).catch(staleOnUniqueViolation)));
      return one;
    });
    keep(rows);
  }
  return saves.map((save) => stored.get(pairKey(save.pair)) ?? null);
}

function staleOnUniqueViolation(err: unknown): Row[] {
  if (isUniqueViolation(err)) return [];
  throw err;
}

function columns(saves: readonly PairSave[]): unknown[][] {
  return [
    saves.map((s) => s.pair.object),
    saves.map((s) => s.pair.hubspotId),
    saves.map((s) => s.pair.zohoId),
    saves.map((s) => JSON.stringify(s.pair.base)),
    saves.map((s) => s.pair.hubspotVersion),
    saves.map((s) => s.pair.zohoVersion),
    saves.map((s) => s.expectedRevision ?? 0),
  ];
}

function groupIds(refs: readonly RecordRef[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const ref of refs) {
    const key = `${ref.system}:${ref.object}`;
    const ids = groups.get(key) ?? [];
    ids.push(ref.id);
    groups.set(key, ids);
  }
  return groups;
}

function refKey(ref: RecordRef): string {
  return `${ref.system}:${ref.object}:${ref.id}`;
}

/** A save's row is the one holding exactly its ids afterwards (both ids are unique per object). */
function pairKey(pair: Pick<NewLinkedPair, 'object' | 'hubspotId' | 'zohoId'>): string {
  return `${pair.object}:${pair.hubspotId ?? ''}:${pair.zohoId ?? ''}`;
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
