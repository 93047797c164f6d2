import type { Entity, EntitySave, Link } from '../domain/entity';
import type { FieldValues, RecordRef } from '../domain/records';
import { type Database, type Queryable, isUniqueViolation } from './db';
import { byRef, isEntityId, loadEntities, refKey } from './entity-reads';
import { writePage } from './entity-writes';
import { NOW_MS } from './rows';
import { EntitySaveError } from './types';

export { countEntities, getEntities, getEntitiesById } from './entity-reads';

/**
 * Saves a page in one transaction. Returns, in order, the stored entity or null for a stale save (its revision
 * moved on, or one of its records is linked to another entity). A save whose records a concurrent pass linked
 * between our check and our write fails the page's unique key; the page is then redone save by save, so that only
 * that save is stale. A save found stale is still done when the store already holds exactly what it writes, at the
 * revision it would have made: the same save run again (a local activity replayed with its workflow task).
 */
export async function saveEntities(db: Database, saves: readonly EntitySave[]): Promise<(Entity | null)[]> {
  const prepared = saves.map(normalise);
  const open = openSaves(prepared);
  const written = await db.transaction((tx) => writePage(tx, prepared, open)).catch(async (err: unknown) => {
    if (!isUniqueViolation(err)) throw err;
    const one: (Entity | null)[] = [];
    for (const [i, save] of prepared.entries()) {
      if (!open[i]) one.push(null);
      else one.push((await db.transaction((tx) => writePage(tx, [save], [true])).catch(staleOnUniqueViolation))[0] ?? null);
    }
    return one;
  });
  return settleReplays(db, prepared, written);
}

function staleOnUniqueViolation(err: unknown): null[] {
  if (isUniqueViolation(err)) return [null];
  throw err;
}

/** Modification times are whole epoch ms or null (a write that returned no usable time stamps NaN). */
function normalise(save: EntitySave): EntitySave {
  if (Object.keys(save.links).length === 0) {
    throw new EntitySaveError('an entity needs at least one link; unlink its last record instead');
  }
  const links = Object.fromEntries(
    Object.entries(save.links).map(([system, link]): [string, Link] => {
      const modifiedAt = link.modifiedAt !== null && Number.isFinite(link.modifiedAt) ? Math.trunc(link.modifiedAt) : null;
      return [system, { recordId: link.recordId, base: link.base, version: link.version, modifiedAt }];
    }),
  );
  return { ...save, links };
}

/**
 * Saves that cannot succeed, known without the database: an update of something that is no entity id, and a save
 * claiming an entity or a record that an earlier save of the same page claims.
 */
function openSaves(saves: readonly EntitySave[]): boolean[] {
  const claimed = new Set<string>();
  return saves.map((save) => {
    if (save.expectedRevision !== null && !isEntityId(save.id)) return false;
    const keys = Object.entries(save.links).map(([system, link]) => refKey(system, save.object, link.recordId));
    if (save.expectedRevision !== null && save.id !== null) keys.push(`entity:${save.id}`);
    if (keys.some((key) => claimed.has(key))) return false;
    keys.forEach((key) => claimed.add(key));
    return true;
  });
}

/** A stale save counts as done when the stored entity holds exactly what it writes, at the revision it would have made. */
async function settleReplays(
  db: Queryable,
  saves: readonly EntitySave[],
  written: readonly (Entity | null)[],
): Promise<(Entity | null)[]> {
  const stale = saves.flatMap((save, i) => (written[i] === null ? [save] : []));
  if (stale.length === 0) return [...written];
  const firstRef = (save: EntitySave): RecordRef[] =>
    Object.entries(save.links)
      .slice(0, 1)
      .map(([system, link]) => ({ system, object: save.object, id: link.recordId }));
  const stored = await loadEntities(
    db,
    stale.flatMap((save) => (save.expectedRevision !== null && isEntityId(save.id) ? [save.id] : [])),
    stale.flatMap((save) => (save.expectedRevision === null ? firstRef(save) : [])),
  );
  const ids = new Map(stored.map((entity) => [entity.id, entity]));
  const refs = byRef(stored);
  return saves.map((save, i) => {
    if (written[i]) return written[i];
    const [ref] = firstRef(save);
    const current =
      save.expectedRevision === null ? ref && refs.get(refKey(ref.system, ref.object, ref.id)) : ids.get(save.id ?? '');
    return current && current.revision === (save.expectedRevision ?? 0) + 1 && sameContent(current, save) ? current : null;
  });
}

function sameContent(stored: Entity, save: EntitySave): boolean {
  const systems = Object.keys(save.links);
  return (
    stored.object === save.object &&
    sameValues(stored.base, save.base) &&
    Object.keys(stored.links).length === systems.length &&
    systems.every((system) => {
      const [mine, theirs] = [save.links[system], stored.links[system]];
      return (
        mine !== undefined &&
        theirs !== undefined &&
        mine.recordId === theirs.recordId &&
        mine.version === theirs.version &&
        mine.modifiedAt === theirs.modifiedAt &&
        sameValues(mine.base, theirs.base)
      );
    })
  );
}

function sameValues(a: FieldValues, b: FieldValues): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** jsonb returns keys in its own order: compare sorted. */
function canonicalJson(values: FieldValues): string {
  return JSON.stringify(Object.keys(values).sort().map((key) => [key, values[key] ?? null]));
}

/**
 * Removes the record's link, and the entity with it when that was its last link. An entity that keeps other links
 * moves to a new revision, so that a pass which read it before cannot save the link back. The entity row is locked
 * first, as a save locks it before its links: the same order everywhere, so a save and an unlink never deadlock.
 */
const LOCK_LINKING_ENTITY = `SELECT e.id FROM entities e JOIN entity_links l ON l.entity_id = e.id
  WHERE l.system = $1 AND l.object = $2 AND l.record_id = $3 FOR UPDATE OF e`;
const UNLINK = `WITH gone AS (
    DELETE FROM entity_links WHERE system = $1 AND object = $2 AND record_id = $3 RETURNING entity_id, system
  ), emptied AS (
    DELETE FROM entities e USING gone
    WHERE e.id = gone.entity_id
      AND NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.entity_id = gone.entity_id AND l.system <> gone.system)
  )
  UPDATE entities e SET revision = e.revision + 1, updated_at = ${NOW_MS}
  FROM gone
  WHERE e.id = gone.entity_id
    AND EXISTS (SELECT 1 FROM entity_links l WHERE l.entity_id = gone.entity_id AND l.system <> gone.system)`;

export async function unlink(db: Database, ref: RecordRef): Promise<void> {
  const params = [ref.system, ref.object, ref.id];
  await db.transaction(async (tx) => {
    if ((await tx.query(LOCK_LINKING_ENTITY, params)).length > 0) await tx.query(UNLINK, params);
  });
}
