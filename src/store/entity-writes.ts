import { z } from 'zod';
import type { Entity, EntitySave } from '../domain/entity';
import type { Queryable, Row } from './db';
import { IsoTimestamp, NOW_MS } from './rows';

/*
 * One page of saves inside one transaction of two set-based statements whatever the page size (the entities, then
 * their links): PGlite runs each statement synchronously on the worker's thread, where a statement's own cost (about
 * 0.3 ms for the smallest of these) is most of a live save's, and a backfill page must not cost a statement per record.
 * Arrays are passed one parameter per column (unnest), never spliced into the SQL.
 */

/**
 * A save (`b`) none of whose records another entity links (any entity, for a new one), checked in the statement that
 * writes the entity, so that a stale save costs no statement of its own. The page's links (`k`) carry their save's
 * position and entity id, so that the saves ruled out are found once for the page (a hashed subplan), not once per save.
 */
const NONE_TAKEN = `b.i NOT IN (
    SELECT k.i FROM unnest($6::int[], $7::bigint[], $8::text[], $9::text[], $10::text[]) AS k (i, entity_id, system, object, record_id)
    JOIN entity_links l ON l.system = k.system AND l.object = k.object AND l.record_id = k.record_id
    WHERE k.entity_id IS NULL OR l.entity_id <> k.entity_id
  )`;

const UPDATE = `UPDATE entities e SET base = b.base::jsonb, revision = e.revision + 1, updated_at = ${NOW_MS}
  FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::int[]) AS b (i, id, object, base, expected)
  WHERE e.id = b.id AND e.object = b.object AND e.revision = b.expected AND ${NONE_TAKEN}
  RETURNING b.i, e.id::text AS id, e.revision, e.updated_at`;

/** Ids are drawn first so that each returned row can be told apart by its save's position. */
const INSERT = `WITH b AS (
    SELECT nextval(pg_get_serial_sequence('entities', 'id')) AS id, b.i, b.object, b.base
    FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::int[]) AS b (i, id, object, base, expected)
    WHERE ${NONE_TAKEN}
  ), inserted AS (
    INSERT INTO entities (id, object, base, revision, updated_at)
    SELECT id, object, base::jsonb, 1, ${NOW_MS} FROM b
    RETURNING id, revision, updated_at
  )
  SELECT b.i, inserted.id::text AS id, inserted.revision, inserted.updated_at FROM b JOIN inserted ON inserted.id = b.id`;

/**
 * The saved entities' links in one statement: a link a save leaves out is removed, the others written, and every
 * failure reported for one of those records is over, also one reported outside the record's own workflow (by a
 * backfill page, or another record's pass): the report lists it as recovered, in the transaction that saves it. A
 * record linked elsewhere since the entity was written (a concurrent pass) still violates UNIQUE (system, object,
 * record_id): the page's transaction rolls back and the caller redoes it save by save.
 */
const WRITE_LINKS = `WITH k AS (
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
      AS k (entity_id, system, object, record_id, base, version, modified_at)
  ), dropped AS (
    DELETE FROM entity_links l
    WHERE l.entity_id = ANY($8::bigint[]) AND NOT EXISTS (SELECT 1 FROM k WHERE k.entity_id = l.entity_id AND k.system = l.system)
  ), recovered AS (
    UPDATE sync_failures f SET recovered_at = ${NOW_MS} FROM k
    WHERE f.recovered_at IS NULL AND f.system = k.system AND f.object = k.object AND f.record_id = k.record_id
  )
  INSERT INTO entity_links (entity_id, system, object, record_id, base, version, modified_at)
  SELECT entity_id, system, object, record_id, base::jsonb, version, modified_at FROM k
  ON CONFLICT (entity_id, system) DO UPDATE SET
    object = EXCLUDED.object, record_id = EXCLUDED.record_id, base = EXCLUDED.base,
    version = EXCLUDED.version, modified_at = EXCLUDED.modified_at`;

const Stamp = z.object({ i: z.coerce.number().int(), id: z.string(), revision: z.coerce.number().int(), updated_at: IsoTimestamp });
type Stamp = z.infer<typeof Stamp>;

interface Candidate {
  save: EntitySave;
  /** The save's position in the page. */
  i: number;
  /** The stored entity id: the save's own, or the one just drawn for a new entity (null before the insert). */
  id: string | null;
}

/**
 * Writes the saves not ruled out already (`open`), each only if its revision is still the expected one and none of
 * its records is linked to another entity. Returns, in order, the stored entity or null (stale). Must run inside a
 * transaction: a unique violation thrown from here leaves nothing of the page behind.
 */
export async function writePage(
  tx: Queryable,
  saves: readonly EntitySave[],
  open: readonly boolean[],
): Promise<(Entity | null)[]> {
  const candidates = saves.flatMap((save, i): Candidate[] => (open[i] ? [{ save, i, id: save.id }] : []));
  // Entity rows locked in id order by every page (live saves are gathered into pages too, in every worker): two pages
  // that share entities take them in the same order, so neither holds one the other waits for while it waits.
  const updates = candidates.filter((c) => c.save.expectedRevision !== null).sort(byEntityId);
  const inserts = candidates.filter((c) => c.save.expectedRevision === null).map((c) => ({ ...c, id: null }));
  const stamps = new Map<number, Stamp>();
  for (const [sql, page] of [
    [UPDATE, updates],
    [INSERT, inserts],
  ] as const) {
    const links = linkColumns(page);
    const rows = await queryIfAny(tx, sql, [
      page.map((c) => c.i),
      page.map((c) => c.id),
      page.map((c) => c.save.object),
      page.map((c) => JSON.stringify(c.save.base)),
      page.map((c) => c.save.expectedRevision),
      links.position,
      links.id,
      links.system,
      links.object,
      links.recordId,
    ]);
    rows.map((row) => Stamp.parse(row)).forEach((stamp) => stamps.set(stamp.i, stamp));
  }
  const saved = candidates.flatMap((c): (Candidate & { stamp: Stamp })[] => {
    const stamp = stamps.get(c.i);
    return stamp ? [{ ...c, id: stamp.id, stamp }] : [];
  });
  const written = linkColumns(saved);
  await queryIfAny(tx, WRITE_LINKS, [
    written.id,
    written.system,
    written.object,
    written.recordId,
    written.base,
    written.version,
    written.modifiedAt,
    saved.filter((c) => c.save.expectedRevision !== null).map((c) => c.stamp.id),
  ]);
  const entities = new Map(saved.map((c) => [c.i, toEntity(c.save, c.stamp)]));
  return saves.map((_, i) => entities.get(i) ?? null);
}

function byEntityId(a: Candidate, b: Candidate): number {
  const [x, y] = [BigInt(a.id ?? 0), BigInt(b.id ?? 0)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Skips a statement whose first column (and so every column) is empty. */
async function queryIfAny(tx: Queryable, sql: string, columns: readonly (readonly unknown[])[]): Promise<Row[]> {
  return (columns[0]?.length ?? 0) === 0 ? [] : tx.query(sql, columns);
}

/** Every link of these saves as parallel columns, one entry per link. */
function linkColumns(candidates: readonly Candidate[]) {
  const rows = candidates.flatMap((c) => Object.entries(c.save.links).map(([system, link]) => ({ c, system, link })));
  return {
    position: rows.map((row) => row.c.i),
    id: rows.map((row) => row.c.id),
    system: rows.map((row) => row.system),
    object: rows.map((row) => row.c.save.object),
    recordId: rows.map((row) => row.link.recordId),
    base: rows.map((row) => JSON.stringify(row.link.base)),
    version: rows.map((row) => row.link.version),
    modifiedAt: rows.map((row) => row.link.modifiedAt),
  };
}

function toEntity(save: EntitySave, stamp: Stamp): Entity {
  const { object, base, links } = save;
  return { id: stamp.id, object, base, links, revision: stamp.revision, updatedAt: stamp.updated_at };
}
