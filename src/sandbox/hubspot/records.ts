import { z } from 'zod';
import { contactSide, isKnownType } from './association-store';
import type { SimContext } from './context';
import { HubspotError, notFound, validation } from './errors';
import { SINGULAR, type ObjectType, otherType } from './object-types';
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
      throw validation(`Unable to perform update/upsert by non-unique ${type === 'contacts' ? '0-1' : '0-2'} property`);
    }
    const found = store.findUnique(idProperty, idOrValue);
    if (!found || found.archived !== archived) throw notFound(idOrValue);
    return found;
  }
  const found = store.get(idOrValue);
  if (!found || found.archived !== archived) throw notFound(idOrValue);
  return found;
}

/** HubSpot's 409 for a unique value already taken; the existing id appears only inside the message. */
export function conflict(ctx: SimContext, type: ObjectType, property: string, value: string, existingId: string): HubspotError {
  if (type === 'contacts' && property === 'email') {
    return new HubspotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existingId}`);
  }
  const label = SINGULAR[type].charAt(0).toUpperCase() + SINGULAR[type].slice(1);
  return new HubspotError(
    ctx.options.uniqueConflictStatus,
    ctx.options.uniqueConflictStatus === 409 ? 'CONFLICT' : 'VALIDATION_ERROR',
    `${label} with ${property} "${value}" already exists. Existing ID: ${existingId}`,
  );
}

/** Checks create-time associations before anything is written. */
export function checkAssociations(ctx: SimContext, type: ObjectType, inputs: AssociationInput[]): void {
  const other = otherType(type);
  for (const input of inputs) {
    const target = ctx.stores[other].get(input.to.id);
    if (!target || target.archived) throw validation(`${SINGULAR[other]} ${input.to.id} is not a valid association target`);
    for (const spec of input.types) {
      if (spec.associationCategory !== 'HUBSPOT_DEFINED' || !isKnownType(spec.associationTypeId)) {
        throw validation(`Invalid association type ${spec.associationCategory}/${spec.associationTypeId} between ${type} and ${other}`);
      }
    }
  }
}

export function applyAssociations(ctx: SimContext, type: ObjectType, id: string, inputs: AssociationInput[], source: WriteSource): void {
  for (const input of inputs) {
    const ids = input.types.map((t) => contactSide(t.associationTypeId));
    if (type === 'contacts') ctx.associations.add(id, input.to.id, ids, source);
    else ctx.associations.add(input.to.id, id, ids, source);
  }
}

export function createRecord(
  ctx: SimContext,
  type: ObjectType,
  rawProperties: Record<string, unknown>,
  associations: AssociationInput[],
  source: WriteSource,
): StoredRecord {
  const values = ctx.registry.normalize(type, rawProperties);
  const clash = ctx.stores[type].clash(values);
  if (clash) throw conflict(ctx, type, clash.property, clash.value, clash.existingId);
  checkAssociations(ctx, type, associations);
  const record = ctx.stores[type].create(values, source);
  applyAssociations(ctx, type, record.id, associations, source);
  return record;
}

export function updateRecord(ctx: SimContext, type: ObjectType, record: StoredRecord, rawProperties: Record<string, unknown>, source: WriteSource): StoredRecord {
  const values = ctx.registry.normalize(type, rawProperties);
  const clash = ctx.stores[type].clash(values, record.id);
  if (clash) throw conflict(ctx, type, clash.property, clash.value, clash.existingId);
  return ctx.stores[type].update(record.id, values, source, source === 'UI' ? ctx.options.webhook.uiUserId : undefined).record;
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
