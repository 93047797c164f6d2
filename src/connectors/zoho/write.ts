import type { SyncRules } from '../../domain/schema/sync-rules';
import type { CrmObject, FieldValues, WriteResult } from '../../domain/records';
import { ConflictError, NotFoundError, TransientCrmError } from '../errors';
import type { RecordLinks, UnmodifiedSince } from '../types';
import type { ZohoHttp, ZohoRequest } from './http';
import { ZohoWriteResponse, type ZohoWriteSuccess } from './schemas';
import { moduleOf, duplicateCheckFields, modifiedAtOf, unmodifiedSinceHeader } from './snapshot';
import { zohoWireRecord, type ZohoWireRecord } from './wire';
import { classifyZohoError } from './zoho-errors';

const API = '/crm/v8';

export interface ZohoWriter {
  create(object: CrmObject, fields: FieldValues, links: RecordLinks): Promise<WriteResult>;
  update(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks, unmodifiedSince?: UnmodifiedSince): Promise<WriteResult>;
  archive(object: CrmObject, id: string): Promise<void>;
}

type Wire = ZohoWireRecord;

export function createZohoWriter(http: ZohoHttp, rules: SyncRules, readVersion: (object: CrmObject, id: string) => Promise<string | null>): ZohoWriter {
  const wireRecord = (object: CrmObject, fields: FieldValues, links: RecordLinks): Wire => zohoWireRecord(rules, object, fields, links);

  /** The single result of a one-record write; a per-record error becomes the matching typed error. */
  const single = async (operation: string, request: ZohoRequest): Promise<ZohoWriteSuccess> => {
    const response = await http.request(operation, request);
    const parsed = ZohoWriteResponse.safeParse(response.body);
    if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, response.status);
    const item = parsed.data.data[0];
    if (item === undefined || item.status === 'error') {
      throw item ? classifyZohoError(operation, response.status, item, http.rateLimitDefaultMs) : new TransientCrmError(`Zoho ${operation}: empty answer`);
    }
    return item;
  };

  const result = async (object: CrmObject, item: ZohoWriteSuccess, created: boolean): Promise<WriteResult> => {
    // Zoho documents Modified_Time in a write's details; should it be missing, read the stamp back.
    const version = item.details.Modified_Time ?? (await readVersion(object, item.details.id)) ?? '';
    return { id: item.details.id, version, modifiedAt: modifiedAtOf(version), created };
  };

  const put = async (object: CrmObject, id: string, record: Wire, since?: UnmodifiedSince): Promise<WriteResult> => {
    // trigger [] keeps Zoho workflows, approvals and blueprints from reacting to the connector's own writes.
    const body = { data: [{ ...record, id }], trigger: [] };
    const request = { method: 'PUT', path: `${API}/${moduleOf(object)}`, body, headers: unmodifiedSinceHeader(since ? [since] : []) } as const;
    return result(object, await single(`update ${object}`, request), false);
  };

  return {
    async create(object, fields, links) {
      const record = wireRecord(object, fields, links);
      try {
        // Cross-references first: a retried create finds the record its first attempt made, even if the email changed.
        const item = await single(`upsert ${object}`, {
          method: 'POST',
          path: `${API}/${moduleOf(object)}/upsert`,
          body: { data: [record], duplicate_check_fields: duplicateCheckFields(rules, object), trigger: [] },
        });
        return await result(object, item, item.action === 'insert');
      } catch (error) {
        // A unique field (not one of the check fields) is taken by another record: write to that record.
        if (!(error instanceof ConflictError) || error.existingId === undefined) throw error;
        return put(object, error.existingId, record);
      }
    },

    async update(object, id, fields, links, unmodifiedSince) {
      const record = wireRecord(object, fields, links);
      if (Object.keys(record).length > 0) return put(object, id, record, unmodifiedSince);
      // Nothing to write: a PUT would still bump Modified_Time (Zoho stamps every update), so just report the version.
      const version = await readVersion(object, id);
      if (version === null) throw new NotFoundError(`Zoho ${object} ${id} does not exist`, 404);
      return { id, version, modifiedAt: modifiedAtOf(version), created: false };
    },

    async archive(object, id) {
      try {
        // wf_trigger=false: Zoho workflows must not react to the connector's own deletes either.
        const path = `${API}/${moduleOf(object)}/${encodeURIComponent(id)}`;
        await single(`delete ${object}`, { method: 'DELETE', path, params: { wf_trigger: 'false' } });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
  };
}
