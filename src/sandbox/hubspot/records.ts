import { z } from 'zod';
import { associationType } from './association-store';
import type { SimContext } from './context';
import { HubspotError, invalidProperties, notFound, validation } from './errors';
import { OBJECT_TYPE_IDS, SINGULAR, type ObjectType } from './object-types';
import { dealWrite } from './pipelines';
import type { StoredRecord, WriteSource } from './store-types';

export const AssociationInput = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1),
});
export type AssociationInput = z.infer<typeof AssociationInput>;

export const PropertiesInput = z.record(z.string(), z.unknown());

/** Finds a live record by id or by a unique property (email, hasUniqueValue custom properties). */
export function resolve(ctx: SimContext, type: ObjectType, idOrValue: string, idProperty?: string, archived = false): StoredRecord {
  const store = ctx.stores[type];
  if (idProperty && idProperty !== 'hs_object_id') {
    if (!ctx.registry.get(type, idProperty)) throw validation(`Property "${idProperty}" does not exist`);
    if (!store.isUnique(idProperty)) {
      throw validation(`Unable to perform update/upsert by non-unique ${OBJECT_TYPE_IDS[type]} property`);
    }
    const found = store.findUnique(idProperty, idOrValue);
    if (!found || found.archived !== archived) throw notFound(idOrValue);
    return found;
  }
  const found = store.get(idOrValue);
  if (!found || found.archived !== archived) throw notFound(idOrValue);
  return found;
}

/**
 * A unique value already taken. Contact email: 409 naming the existing id. hasUniqueValue properties: by default
 * HubSpot's 400 "already has that value", which names neither the record nor its id (third-party reports; the
 * wording inside is UNCONFIRMED); `uniqueConflictStatus: 409` answers like the email instead.
 */
export function conflict(ctx: SimContext, type: ObjectType, property: string, value: string, existingId: string): HubspotError {
  if (type === 'contacts' && property === 'email') {
    return new HubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);
  }
  if (ctx.options.uniqueConflictStatus === 400) {
    return invalidProperties([{ name: property, error: 'INVALID_UNIQUE_VALUE', message: `${property} "${value}": another ${SINGULAR[type]} already has that value` }]);
  }
  const label = SINGULAR[type].charAt(0).toUpperCase() + SINGULAR[type].slice(1);
  return new HubspotError(409, 'CONFLICT', `${label} with ${property} "${value}" already exists. Existing ID: ${existingId}`);
}

/**
 * Property input checked and normalised as the registry does, plus the object's own rules (a deal's required name
 * and stage, its pipeline). `current` is the record an update writes to.
 */
export function normalizeWrite(ctx: SimContext, type: ObjectType, raw: Record<string, unknown>, current?: StoredRecord): Record<string, string | null> {
  const values = ctx.registry.normalize(type, raw);
  if (type !== 'deals') return values;
  const checked = dealWrite(values, current?.properties);
  if (checked.problems.length > 0) throw invalidProperties(checked.problems);
  return checked.values;
}

/** Create-time associations, checked before anything is written; HubSpot infers the target type from the type id. */
export function checkAssociations(ctx: SimContext, type: ObjectType, inputs: AssociationInput[]): void {
  for (const input of inputs) {
    const targets = new Set<ObjectType>();
    for (const spec of input.types) {
      const association = associationType(spec.associationTypeId);
      if (spec.associationCategory !== 'HUBSPOT_DEFINED' || association?.from !== type) {
        throw validation(`Invalid association type ${spec.associationCategory}/${spec.associationTypeId} from ${type}`);
      }
      targets.add(association.to);
    }
    for (const to of targets) {
      const target = ctx.stores[to].get(input.to.id);
      if (!target || target.archived) throw validation(`${SINGULAR[to]} ${input.to.id} is not a valid association target`);
    }
  }
}

export function applyAssociations(ctx: SimContext, type: ObjectType, id: string, inputs: AssociationInput[], source: WriteSource): void {
  for (const input of inputs) {
    for (const spec of input.types) {
      const to = associationType(spec.associationTypeId)?.to;
      if (to) ctx.associations.add(type, id, to, input.to.id, [spec.associationTypeId], source);
    }
  }
}

export function createRecord(
  ctx: SimContext,
  type: ObjectType,
  rawProperties: Record<string, unknown>,
  associations: AssociationInput[],
  source: WriteSource,
): StoredRecord {
  const values = normalizeWrite(ctx, type, rawProperties);
  const clash = ctx.stores[type].clash(values);
  if (clash) throw conflict(ctx, type, clash.property, clash.value, clash.existingId);
  checkAssociations(ctx, type, associations);
  const record = ctx.stores[type].create(values, source);
  applyAssociations(ctx, type, record.id, associations, source);
  return record;
}

/** `userId`: the person making a UI edit, when not the configured UI user. */
export function updateRecord(ctx: SimContext, type: ObjectType, record: StoredRecord, rawProperties: Record<string, unknown>, source: WriteSource, userId?: number): StoredRecord {
  const values = normalizeWrite(ctx, type, rawProperties, record);
  const clash = ctx.stores[type].clash(values, record.id);
  if (clash) throw conflict(ctx, type, clash.property, clash.value, clash.existingId);
  return ctx.stores[type].update(record.id, values, source, source === 'UI' ? (userId ?? ctx.options.webhook.uiUserId) : undefined).record;
}

/** Body of POST …/merge, as HubSpot documents it. */
export const MergeInput = z.object({ primaryObjectId: z.string().min(1), objectIdToMerge: z.string().min(1) });

/** Merges `mergedId` into `primaryId` (POST …/merge, and a person merging in the UI). */
export function mergeRecords(ctx: SimContext, type: ObjectType, primaryId: string, mergedId: string, source: WriteSource): StoredRecord {
  const primary = resolve(ctx, type, primaryId);
  const merged = resolve(ctx, type, mergedId);
  if (primary.id === merged.id) throw validation('A record cannot be merged into itself');
  return ctx.stores[type].merge(primary.id, merged.id, source);
}

export function archiveRecord(ctx: SimContext, type: ObjectType, record: StoredRecord, source: WriteSource): void {
  ctx.stores[type].archive(record.id, source);
}
