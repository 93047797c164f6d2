import { z } from 'zod';
import { assertNoDuplicates, BatchId, batchResponse, partition, renderWritten } from './batch-support';
import type { SimContext } from './context';
import { HubspotError, notFound, validation } from './errors';
import { OBJECT_TYPE_IDS, type ObjectType } from './object-types';
import { applyAssociations, AssociationInput, checkAssociations, conflict, normalizeWrite, PropertiesInput, resolve } from './records';
import type { StoredRecord } from './store-types';

type Values = Record<string, string | null>;

export const CreateInput = z.object({ properties: PropertiesInput.default({}), associations: z.array(AssociationInput).default([]), objectWriteTraceId: z.string().optional() });
export const UpdateInput = z.object({ id: BatchId, properties: PropertiesInput, idProperty: z.string().optional(), objectWriteTraceId: z.string().optional() });
export const UpsertInput = z.object({ id: BatchId, properties: PropertiesInput.default({}), idProperty: z.string().optional(), objectWriteTraceId: z.string().optional() });

/** Tracks unique values claimed earlier in the same batch, which the store cannot see yet. */
function batchClaims(ctx: SimContext, type: ObjectType) {
  const claimed = new Map<string, string>();
  return (values: Values, ownerId?: string): void => {
    const clash = ctx.stores[type].clash(values, ownerId);
    if (clash) throw conflict(ctx, type, clash.property, clash.value, clash.existingId);
    for (const [property, value] of Object.entries(values)) {
      if (value === null || !ctx.stores[type].isUnique(property)) continue;
      const key = `${property}\u0000${property === 'email' ? value.toLowerCase() : value}`;
      const holder = claimed.get(key);
      if (holder !== undefined && holder !== ownerId) {
        throw new HubspotError(409, 'CONFLICT', `Duplicate value "${value}" for unique property ${property} in batch input`);
      }
      claimed.set(key, ownerId ?? key);
    }
  };
}

export function batchWrites(ctx: SimContext) {
  const nonUnique = (type: ObjectType) => validation(`Unable to perform update/upsert by non-unique ${OBJECT_TYPE_IDS[type]} property`);

  return {
    create(type: ObjectType, inputs: Array<z.infer<typeof CreateInput>>) {
      const startedAt = new Date().toISOString();
      const claim = batchClaims(ctx, type);
      const { ok, errors } = partition(inputs, (input) => {
        const values = normalizeWrite(ctx, type, input.properties);
        claim(values);
        checkAssociations(ctx, type, input.associations);
        return { values, input };
      });
      const results = ok.map(({ values, input }) => {
        const record = ctx.stores[type].create(values, 'API');
        applyAssociations(ctx, type, record.id, input.associations, 'API');
        return { ...renderWritten(ctx, type, record, Object.keys(values)), ...traceId(input) };
      });
      ctx.stats.write(results.length);
      return batchResponse(201, results, errors, startedAt);
    },

    update(type: ObjectType, inputs: Array<z.infer<typeof UpdateInput>>) {
      const startedAt = new Date().toISOString();
      const claim = batchClaims(ctx, type);
      // Reported upstream (hubspot-api-nodejs#548): batch update refuses email as idProperty; upsert accepts it.
      if (type === 'contacts' && inputs.some((i) => i.idProperty === 'email')) throw nonUnique(type);
      const { ok, errors } = partition(inputs, (input) => {
        const record = resolve(ctx, type, input.id, input.idProperty);
        const values = normalizeWrite(ctx, type, input.properties, record);
        claim(values, record.id);
        return { record, values, input };
      });
      assertNoDuplicates(ok.map((item) => item.record.id));
      const results = ok.map(({ record, values, input }) => {
        const updated = ctx.stores[type].update(record.id, values, 'API').record;
        return { ...renderWritten(ctx, type, updated, Object.keys(input.properties)), ...traceId(input) };
      });
      ctx.stats.write(results.length);
      return batchResponse(200, results, errors, startedAt);
    },

    upsert(type: ObjectType, inputs: Array<z.infer<typeof UpsertInput>>) {
      const startedAt = new Date().toISOString();
      const claim = batchClaims(ctx, type);
      assertNoDuplicates(inputs.map((i) => `${i.idProperty ?? ''}:${i.idProperty === 'email' ? i.id.toLowerCase() : i.id}`).map((key) => key));
      const { ok, errors } = partition(inputs, (input) => {
        const property = input.idProperty;
        let existing: StoredRecord | undefined;
        if (property === undefined || property === 'hs_object_id') {
          existing = ctx.stores[type].get(input.id);
          if (!existing || existing.archived) throw notFound(input.id);
        } else {
          if (!ctx.registry.get(type, property)) throw validation(`Property "${property}" does not exist`);
          if (!ctx.stores[type].isUnique(property)) throw nonUnique(type);
          const found = ctx.stores[type].findUnique(property, input.id);
          existing = found && !found.archived ? found : undefined;
        }
        // A new record takes the key it was looked up by.
        const raw = existing || property === undefined ? input.properties : { ...input.properties, [property]: input.id };
        const values = normalizeWrite(ctx, type, raw, existing);
        claim(values, existing?.id);
        return { existing, values, input };
      });
      const results = ok.map(({ existing, values, input }) => {
        const record = existing ? ctx.stores[type].update(existing.id, values, 'API').record : ctx.stores[type].create(values, 'API');
        const names = input.idProperty ? [...Object.keys(values), input.idProperty] : Object.keys(values);
        return { ...renderWritten(ctx, type, record, names), new: existing === undefined, ...traceId(input) };
      });
      ctx.stats.write(results.length);
      return batchResponse(200, results, errors, startedAt);
    },
  };
}

function traceId(input: { objectWriteTraceId?: string | undefined }): { objectWriteTraceId?: string } {
  return input.objectWriteTraceId === undefined ? {} : { objectWriteTraceId: input.objectWriteTraceId };
}
