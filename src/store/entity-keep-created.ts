import type { EntitySave } from '../domain/entity';
import type { SystemName } from '../domain/records';
import { isUniqueViolation, type Database } from './db';
import { isEntityId } from './entity-reads';
import { NOW_MS } from './rows';

/** The entities a stale save was about: its own, and those linking the records it had read (not those it created). */
const CANDIDATES = `SELECT e.id::text AS id FROM entities e
  WHERE e.id = ANY($1::bigint[])
  UNION
  SELECT l.entity_id::text AS id FROM entity_links l
  JOIN unnest($2::text[], $3::text[]) AS r (system, record_id) ON l.system = r.system AND l.object = $4 AND l.record_id = r.record_id`;

const LOCK = 'SELECT id FROM entities WHERE id = $1 FOR UPDATE';

/** Only where the entity has no record in that system yet, and only records no entity links. */
const INSERT_MISSING = `INSERT INTO entity_links (entity_id, system, object, record_id, base, version, modified_at)
  SELECT $1, k.system, $2, k.record_id, k.base::jsonb, k.version, k.modified_at
  FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[]) AS k (system, record_id, base, version, modified_at)
  WHERE NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.entity_id = $1 AND l.system = k.system)
    AND NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.system = k.system AND l.object = $2 AND l.record_id = k.record_id)
  RETURNING system`;

const BUMP = `UPDATE entities SET revision = revision + 1, updated_at = ${NOW_MS} WHERE id = $1`;

/**
 * A pass that created records elsewhere and then lost its save to a concurrent pass (the save was stale) keeps what it
 * created: those links are added to the entity that won, where it has no record in that system yet. Otherwise the
 * created record (which already names the entity's other records, e.g. a HubSpot contact's shop_user_id) belongs to
 * no entity until a later pass happens to find it by a search, and a delete in between never reaches it. Does nothing
 * when the save's records now belong to more than one entity, or to none. Safe to run again (a replayed local activity).
 */
export async function keepCreatedLinks(db: Database, save: EntitySave, created: readonly SystemName[]): Promise<void> {
  const read = Object.entries(save.links).filter(([system]) => !created.includes(system));
  const rows = await db.query(CANDIDATES, [
    isEntityId(save.id) ? [save.id] : [],
    read.map(([system]) => system),
    read.map(([, link]) => link.recordId),
    save.object,
  ]);
  const ids = [...new Set(rows.map((row) => String(row.id)))];
  const [id] = ids;
  if (ids.length !== 1 || id === undefined) return;
  const kept = created.flatMap((system) => {
    const link = save.links[system];
    return link ? [{ system, link }] : [];
  });
  if (kept.length === 0) return;
  await db
    .transaction(async (tx) => {
      if ((await tx.query(LOCK, [id])).length === 0) return;
      const inserted = await tx.query(INSERT_MISSING, [
        id,
        save.object,
        kept.map((k) => k.system),
        kept.map((k) => k.link.recordId),
        kept.map((k) => JSON.stringify(k.link.base)),
        kept.map((k) => k.link.version),
        kept.map((k) => (k.link.modifiedAt !== null && Number.isFinite(k.link.modifiedAt) ? Math.trunc(k.link.modifiedAt) : null)),
      ]);
      if (inserted.length > 0) await tx.query(BUMP, [id]);
    })
    .catch((error: unknown) => {
      // a concurrent pass linked one of them meanwhile: that pass knows it, nothing to keep
      if (!isUniqueViolation(error)) throw error;
    });
}
