import { z } from 'zod';
import type { Entity } from '../domain/entity';
import type { CrmObject, RecordRef } from '../domain/records';
import type { Queryable } from './db';
import { CrmObjectColumn, FieldValuesJson, IsoTimestamp } from './rows';

const LinkJson = z.object({
  recordId: z.string(),
  base: FieldValuesJson,
  version: z.string().nullable(),
  modifiedAt: z.number().nullable(),
});

const EntityRow = z
  .object({
    id: z.string(),
    object: CrmObjectColumn,
    base: FieldValuesJson,
    revision: z.coerce.number().int(),
    updated_at: IsoTimestamp,
    links: z.record(z.string(), LinkJson).nullable(),
  })
  .transform(
    (row): Entity => ({
      id: row.id,
      object: row.object,
      base: row.base,
      links: row.links ?? {},
      revision: row.revision,
      updatedAt: row.updated_at,
    }),
  );

/**
 * Entities wanted by id or by any of their records, each with all its links, in one statement: a page of lookups
 * costs one statement (PGlite runs each synchronously on the worker's thread). Both halves use an index.
 */
const SELECT = `WITH wanted AS (
    SELECT w.id FROM unnest($1::bigint[]) AS w (id)
    UNION
    SELECT l.entity_id FROM entity_links l
    JOIN unnest($2::text[], $3::text[], $4::text[]) AS r (system, object, record_id)
      ON l.system = r.system AND l.object = r.object AND l.record_id = r.record_id
  )
  SELECT e.id::text AS id, e.object, e.base, e.revision, e.updated_at,
    jsonb_object_agg(l.system, jsonb_build_object(
      'recordId', l.record_id, 'base', l.base, 'version', l.version, 'modifiedAt', l.modified_at
    )) FILTER (WHERE l.system IS NOT NULL) AS links
  FROM wanted
  JOIN entities e ON e.id = wanted.id
  LEFT JOIN entity_links l ON l.entity_id = e.id
  GROUP BY e.id`;

export async function loadEntities(db: Queryable, ids: readonly string[], refs: readonly RecordRef[]): Promise<Entity[]> {
  if (ids.length === 0 && refs.length === 0) return [];
  const rows = await db.query(SELECT, [ids, refs.map((r) => r.system), refs.map((r) => r.object), refs.map((r) => r.id)]);
  return rows.map((row) => EntityRow.parse(row));
}

/** Entity ids are bigserial values; anything else (e.g. a `system:id` company reference) names no entity. */
export function isEntityId(id: string | null): id is string {
  return id !== null && /^[1-9][0-9]{0,17}$/.test(id);
}

export function refKey(system: string, object: CrmObject, recordId: string): string {
  return JSON.stringify([system, object, recordId]);
}

export function byRef(entities: readonly Entity[]): Map<string, Entity> {
  return new Map(
    entities.flatMap((entity) => Object.entries(entity.links).map(([system, link]) => [refKey(system, entity.object, link.recordId), entity])),
  );
}

export async function getEntities(db: Queryable, refs: readonly RecordRef[]): Promise<(Entity | null)[]> {
  const found = byRef(await loadEntities(db, [], refs));
  return refs.map((ref) => found.get(refKey(ref.system, ref.object, ref.id)) ?? null);
}

export async function getEntitiesById(db: Queryable, ids: readonly string[]): Promise<(Entity | null)[]> {
  const found = new Map((await loadEntities(db, ids.filter(isEntityId), [])).map((entity) => [entity.id, entity]));
  return ids.map((id) => found.get(id) ?? null);
}

const CountRow = z.object({ count: z.coerce.number().int() });

export async function countEntities(db: Queryable, object?: CrmObject): Promise<number> {
  const rows = await db.query('SELECT count(*) AS count FROM entities WHERE $1::text IS NULL OR object = $1', [object ?? null]);
  return CountRow.parse(rows[0]).count;
}
