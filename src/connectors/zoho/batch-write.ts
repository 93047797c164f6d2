import type { SyncRules } from '../../domain/schema/sync-rules';
import type { CrmObject } from '../../domain/records';
import { chunks, repeatedKeys } from '../batch';
import { ConflictError, NotFoundError, TransientCrmError } from '../errors';
import type { BatchCreateInput, BatchOutcome, BatchUpdateInput } from '../types';
import type { ZohoHttp, ZohoRequest } from './http';
import { ZohoWriteResponse } from './schemas';
import { moduleOf, duplicateCheckFields, modifiedAtOf, unmodifiedSinceHeader } from './snapshot';
import { zohoWireRecord, type ZohoWireRecord } from './wire';
import { classifyZohoError } from './zoho-errors';

export interface ZohoBatchWriter {
  createMany(object: CrmObject, inputs: BatchCreateInput[]): Promise<BatchOutcome[]>;
  updateMany(object: CrmObject, inputs: BatchUpdateInput[]): Promise<BatchOutcome[]>;
}

type Item = { index: number; record: ZohoWireRecord };

/**
 * Batch upsert and update of up to 100 records per call, with the single create's duplicate checks (cross-references
 * first, then Email / Account_Name) and `trigger: []`. Zoho answers per record, in input order (207 when mixed).
 */
export function createZohoBatchWriter(http: ZohoHttp, rules: SyncRules, readVersions: (object: CrmObject, ids: string[]) => Promise<Map<string, string>>): ZohoBatchWriter {
  const send = async <T extends Item>(object: CrmObject, operation: string, request: (slice: T[]) => ZohoRequest, items: T[], outcomes: (BatchOutcome | undefined)[]) => {
    const missingVersion: number[] = [];
    for (const slice of chunks(items)) {
      const response = await http.request(operation, request(slice));
      const parsed = ZohoWriteResponse.safeParse(response.body);
      if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, response.status);
      slice.forEach(({ index }, position) => {
        const item = parsed.data.data[position];
        if (item === undefined) outcomes[index] = { ok: false, error: new TransientCrmError(`Zoho ${operation}: no answer for one record`) };
        else if (item.status === 'error') outcomes[index] = { ok: false, error: classifyZohoError(operation, response.status, item, http.rateLimitDefaultMs) };
        else {
          const version = item.details.Modified_Time ?? '';
          if (!version) missingVersion.push(index);
          outcomes[index] = { ok: true, result: { id: item.details.id, version, modifiedAt: modifiedAtOf(version), created: item.action === 'insert' } };
        }
      });
    }
    await fillVersions(object, missingVersion, outcomes);
  };

  /** Zoho documents Modified_Time in a write's details; should it be missing, the stamps are read back. */
  const fillVersions = async (object: CrmObject, indexes: number[], outcomes: (BatchOutcome | undefined)[]) => {
    const ids = indexes.flatMap((index) => {
      const outcome = outcomes[index];
      return outcome?.ok ? [outcome.result.id] : [];
    });
    if (ids.length === 0) return;
    const versions = await readVersions(object, ids);
    for (const index of indexes) {
      const outcome = outcomes[index];
      if (!outcome?.ok) continue;
      const version = versions.get(outcome.result.id);
      outcomes[index] = version === undefined
        ? { ok: false, error: new NotFoundError(`Zoho ${object} ${outcome.result.id} no longer exists`, 404) }
        : { ok: true, result: { ...outcome.result, version, modifiedAt: modifiedAtOf(version) } };
    }
  };

  const repeated = (): BatchOutcome => ({ ok: false, error: new ConflictError('two records of one batch share a unique key', undefined) });
  const keyText = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value.toLowerCase() : null);

  return {
    async createMany(object, inputs) {
      const outcomes: (BatchOutcome | undefined)[] = inputs.map(() => undefined);
      const items = inputs.map((input, index) => ({ index, record: zohoWireRecord(rules, object, input.fields, input.links) }));
      const checks = duplicateCheckFields(rules, object);
      // One upsert batch holding two records with the same check value would merge them into one Zoho record.
      for (const field of checks) {
        for (const index of repeatedKeys(items, (item) => keyText(item.record[field]))) outcomes[index] ??= repeated();
      }
      const path = `/crm/v8/${moduleOf(object)}/upsert`;
      await send(object, `upsert ${object}s`, (slice) => ({ method: 'POST', path, body: { data: slice.map((i) => i.record), duplicate_check_fields: checks, trigger: [] } }),
        items.filter((item) => outcomes[item.index] === undefined), outcomes);
      return outcomes.map((outcome) => outcome ?? repeated());
    },

    async updateMany(object, inputs) {
      const outcomes: (BatchOutcome | undefined)[] = inputs.map(() => undefined);
      for (const index of repeatedKeys(inputs, (input) => input.id)) outcomes[index] = repeated();
      const items = inputs.map((input, index) => ({ index, id: input.id, record: zohoWireRecord(rules, object, input.fields, input.links), since: input.unmodifiedSince }))
        .filter((item) => outcomes[item.index] === undefined);
      // Nothing to write: a PUT would still bump Modified_Time, so only the current version is reported.
      const unchanged = items.filter((item) => Object.keys(item.record).length === 0);
      for (const item of unchanged) outcomes[item.index] = { ok: true, result: { id: item.id, version: '', modifiedAt: NaN, created: false } };
      const path = `/crm/v8/${moduleOf(object)}`;
      const writes = items.filter((item) => Object.keys(item.record).length > 0).map((item) => ({ index: item.index, record: { ...item.record, id: item.id }, since: item.since }));
      const put = (slice: typeof writes): ZohoRequest => ({
        method: 'PUT',
        path,
        headers: unmodifiedSinceHeader(slice.flatMap((w) => (w.since ? [w.since] : []))),
        body: { data: slice.map((w) => w.record), trigger: [] },
      });
      // A header holds for every record of its request, so conditional writes never share one with unconditional ones.
      await send(object, `update ${object}s`, put, writes.filter((w) => w.since), outcomes);
      await send(object, `update ${object}s`, put, writes.filter((w) => !w.since), outcomes);
      await fillVersions(object, unchanged.map((item) => item.index), outcomes);
      return outcomes.map((outcome) => outcome ?? repeated());
    },
  };
}
