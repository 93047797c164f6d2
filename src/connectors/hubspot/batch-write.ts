import type { SyncRules } from '../../domain/schema/sync-rules';
import type { CrmObject, WriteResult } from '../../domain/records';
import { chunks, repeatedKeys } from '../batch';
import { ConflictError, NotFoundError, PermanentCrmError } from '../errors';
import type { BatchCreateInput, BatchCreateOptions, BatchOutcome, BatchUpdateInput } from '../types';
import type { HubspotApi } from './api';
import { batchErrorToCrmError } from './api-error';
import type { ReferenceLinks } from './associations';
import { assignReferences } from './batch-references';
import { MODIFIED_PROPERTY, OBJECT_TYPE, versionOf, type HubspotRecord } from './snapshot';
import { hubspotCreateProperties, hubspotWireProperties, noUpsertKey, upsertKeyOf } from './wire';

export interface HubspotBatchWriter {
  createMany(object: CrmObject, inputs: BatchCreateInput[], options?: BatchCreateOptions): Promise<BatchOutcome[]>;
  updateMany(object: CrmObject, inputs: BatchUpdateInput[]): Promise<BatchOutcome[]>;
}

type Written = HubspotRecord & { objectWriteTraceId?: string; _new?: boolean };
type BatchAnswer = { results: Written[]; errors?: unknown[] };

const traceIdOf = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const context: unknown = Reflect.get(error, 'context');
  if (typeof context !== 'object' || context === null) return undefined;
  const trace: unknown = Reflect.get(context, 'objectWriteTraceId');
  return Array.isArray(trace) && typeof trace[0] === 'string' ? trace[0] : undefined;
};

/**
 * Batch upsert/update, or batch create for onlyNew (HubSpot then refuses a contact whose email or cross-reference
 * another holds: a 207 CONFLICT error for that input, the others created). Every input carries an objectWriteTraceId
 * (its index), HubSpot's opt-in to multi-status: without it one refused input (an invalid email) fails the whole
 * batch; with it the others are written and the refusal comes back as a 207 error naming the trace id.
 */
export function createHubspotBatchWriter(api: HubspotApi, rules: SyncRules, referenceLinks: ReferenceLinks): HubspotBatchWriter {
  /**
   * Spreads one batch answer over the outcomes, by trace id (results and errors both carry it); a result without one
   * (UNCONFIRMED whether HubSpot always echoes it) is matched by its key, `keys` mapping key → input index.
   */
  const settle = (
    operation: string,
    object: CrmObject,
    answer: BatchAnswer,
    keys: Map<string, number>,
    keyOf: (record: Written) => string | undefined,
    outcomes: (BatchOutcome | undefined)[],
    createdAll = false,
  ) => {
    const indexes = [...keys.values()];
    for (const record of answer.results) {
      const traced = record.objectWriteTraceId === undefined ? undefined : Number(record.objectWriteTraceId);
      const key = keyOf(record);
      const index = traced !== undefined && indexes.includes(traced) ? traced : key === undefined ? undefined : keys.get(key);
      if (index === undefined) continue;
      outcomes[index] = { ok: true, result: { id: record.id, ...versionOf(object, record), created: createdAll || record._new === true } };
    }
    for (const error of answer.errors ?? []) {
      const index = Number(traceIdOf(error));
      if (indexes.includes(index)) outcomes[index] = { ok: false, error: batchErrorToCrmError(operation, error) };
    }
    for (const index of indexes) {
      outcomes[index] ??= { ok: false, error: new PermanentCrmError(`HubSpot ${operation} answered nothing for one input`) };
    }
  };

  /** The records' references, after the records are written; a refused link turns that record's outcome into a refusal. */
  const linkReferences = async (object: CrmObject, inputs: BatchCreateInput[], outcomes: (BatchOutcome | undefined)[]) => {
    const assignments = outcomes.flatMap((outcome, index) => {
      const links = inputs[index]?.links;
      return outcome?.ok && links ? [{ id: outcome.result.id, links, fresh: outcome.result.created, index }] : [];
    });
    const failures = await assignReferences(referenceLinks, object, assignments);
    for (const { id, index } of assignments) {
      const error = failures.get(id);
      if (error) outcomes[index] = { ok: false, error };
    }
  };

  const repeated = (message: string): BatchOutcome => ({ ok: false, error: new ConflictError(message, undefined) });

  return {
    async createMany(object, inputs, options = {}) {
      const outcomes: (BatchOutcome | undefined)[] = inputs.map(() => undefined);
      // Same keys as the single create; an input without one is refused in place.
      const prepared = inputs.flatMap((input, index) => {
        const properties = hubspotCreateProperties(rules, object, input.fields, input.links.crossRefs);
        const key = upsertKeyOf(rules, object, properties, input.links.crossRefs);
        if (key === null) outcomes[index] = { ok: false, error: noUpsertKey(object, input.links.crossRefs) };
        return key === null ? [] : [{ index, properties, ...key }];
      });
      for (const position of repeatedKeys(prepared, (p) => `${p.idProperty}:${p.id}`)) {
        const index = prepared[position]?.index;
        if (index !== undefined) outcomes[index] = repeated('two records of one batch share a unique key');
      }
      for (const idProperty of new Set(prepared.map((p) => p.idProperty))) {
        const group = prepared.filter((p) => p.idProperty === idProperty && outcomes[p.index] === undefined);
        for (const slice of chunks(group)) {
          const operation = options.onlyNew ? 'create' : 'upsert';
          const answer: BatchAnswer = options.onlyNew
            ? await api.call(`${operation} ${object}s`, (client, call) =>
                client.crm.objects.batchApi.create(OBJECT_TYPE[object], { inputs: slice.map((p) => ({ properties: p.properties, objectWriteTraceId: String(p.index) })) }, call),
              )
            : await api.call(`${operation} ${object}s`, (client, call) =>
                client.crm.objects.batchApi.upsert(
                  OBJECT_TYPE[object],
                  { inputs: slice.map((p) => ({ id: p.id, idProperty, properties: p.properties, objectWriteTraceId: String(p.index) })) },
                  call,
                ),
              );
          const keys = new Map(slice.map((p) => [p.id.toLowerCase(), p.index]));
          settle(`${operation} ${object}`, object, answer, keys, (record) => record.properties[idProperty]?.toLowerCase() ?? undefined, outcomes, options.onlyNew);
        }
      }
      await linkReferences(object, inputs, outcomes);
      return outcomes.map((outcome) => outcome ?? repeated('not written'));
    },

    async updateMany(object, inputs) {
      const outcomes: (BatchOutcome | undefined)[] = inputs.map(() => undefined);
      for (const index of repeatedKeys(inputs, (input) => input.id)) outcomes[index] = repeated('one record twice in one batch');
      // Association first, so the PATCH returns the record's final modification stamp (as the single update does).
      const pending = inputs.map((input, index) => ({ input, index })).filter(({ index }) => outcomes[index] === undefined);
      const linkFailures = await assignReferences(referenceLinks, object, pending.map(({ input }) => ({ id: input.id, links: input.links, fresh: false })));
      const writes: { index: number; id: string; properties: Record<string, string> }[] = [];
      const unchanged: { index: number; id: string }[] = [];
      for (const { input, index } of pending) {
        const failure = linkFailures.get(input.id);
        if (failure) {
          outcomes[index] = { ok: false, error: failure };
          continue;
        }
        const properties = hubspotWireProperties(rules, object, input.fields, input.links.crossRefs);
        if (Object.keys(properties).length > 0) writes.push({ index, id: input.id, properties });
        else unchanged.push({ index, id: input.id });
      }
      for (const slice of chunks(writes)) {
        const answer: BatchAnswer = await api.call(`update ${object}s`, (client, options) =>
          client.crm.objects.batchApi.update(
            OBJECT_TYPE[object],
            { inputs: slice.map((w) => ({ id: w.id, properties: w.properties, objectWriteTraceId: String(w.index) })) },
            options,
          ),
        );
        settle(`update ${object}`, object, answer, new Map(slice.map((w) => [w.id, w.index])), (record) => record.id, outcomes);
      }
      for (const [index, result] of await currentVersions(object, unchanged)) outcomes[index] = result;
      return outcomes.map((outcome) => outcome ?? repeated('not written'));
    },
  };

  /** Nothing to write (only a reference changed): report the stamp as it is now, as the single update does. */
  async function currentVersions(object: CrmObject, items: { index: number; id: string }[]): Promise<Map<number, BatchOutcome>> {
    const out = new Map<number, BatchOutcome>();
    for (const slice of chunks(items)) {
      const batch = await api.call(`read ${object}s`, (client, options) =>
        client.crm.objects.batchApi.read(
          OBJECT_TYPE[object],
          { inputs: slice.map((item) => ({ id: item.id })), properties: [MODIFIED_PROPERTY[object]], propertiesWithHistory: [] },
          false,
          options,
        ),
      );
      const byId = new Map(batch.results.map((record) => [record.id, record]));
      for (const item of slice) {
        const record = byId.get(item.id);
        const result: WriteResult | undefined = record && { id: record.id, ...versionOf(object, record), created: false };
        out.set(item.index, result ? { ok: true, result } : { ok: false, error: new NotFoundError(`HubSpot ${object} ${item.id} no longer exists`, 404) });
      }
    }
    return out;
  }
}
