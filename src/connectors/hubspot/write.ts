import type { SyncRules } from '../../domain/schema/sync-rules';
import { REFERENCES, type CrmObject, type FieldValues, type WriteResult } from '../../domain/records';
import { ConflictError, NotFoundError } from '../errors';
import type { RecordLinks } from '../types';
import type { HubspotApi } from './api';
import { batchErrorToCrmError } from './api-error';
import type { ReferenceLinks } from './associations';
import { MODIFIED_PROPERTY, OBJECT_TYPE, versionOf } from './snapshot';
import { hubspotCreateProperties, hubspotWireProperties, noUpsertKey, uniqueKeysOf, upsertKeyOf } from './wire';

export interface HubspotWriter {
  create(object: CrmObject, fields: FieldValues, links: RecordLinks): Promise<WriteResult>;
  update(object: CrmObject, id: string, fields: FieldValues, links: RecordLinks): Promise<WriteResult>;
  archive(object: CrmObject, id: string): Promise<void>;
}

type Written = Omit<WriteResult, 'created'>;

export function createHubspotWriter(api: HubspotApi, rules: SyncRules, referenceLinks: ReferenceLinks): HubspotWriter {
  const patch = async (object: CrmObject, id: string, properties: Record<string, string>): Promise<Written> => {
    const record = await api.call(`update ${object}`, (client, options) =>
      client.crm.objects.basicApi.update(OBJECT_TYPE[object], id, { properties }, undefined, options),
    );
    return { id: record.id, ...versionOf(object, record) };
  };

  const currentVersion = async (object: CrmObject, id: string): Promise<Written> => {
    const record = await api.call(`get ${object}`, (client, options) =>
      client.crm.objects.basicApi.getById(OBJECT_TYPE[object], id, [MODIFIED_PROPERTY[object]], undefined, undefined, false, undefined, options),
    );
    return { id: record.id, ...versionOf(object, record) };
  };

  /** Upsert by a unique key (upsertKeyOf), so a retried create finds the record its first attempt made. */
  const upsert = async (object: CrmObject, properties: Record<string, string>, links: RecordLinks): Promise<WriteResult> => {
    const key = upsertKeyOf(rules, object, properties, links.crossRefs);
    if (key === null) throw noUpsertKey(object, links.crossRefs);
    const response = await api.call(`upsert ${object}`, (client, options) =>
      client.crm.objects.batchApi.upsert(OBJECT_TYPE[object], { inputs: [{ ...key, properties }] }, options),
    );
    const result = response.results[0];
    if (!result) throw batchErrorToCrmError(`upsert ${object}`, 'errors' in response ? response.errors?.[0] : undefined);
    return { id: result.id, ...versionOf(object, result), created: result._new };
  };

  /** Who holds one of the write's unique values, for a conflict whose answer names nobody (HubSpot's 400). */
  const holderOf = async (object: CrmObject, properties: Record<string, string>, links: RecordLinks): Promise<string | undefined> => {
    for (const key of uniqueKeysOf(rules, object, properties, links.crossRefs)) {
      try {
        const record = await api.call(`get ${object}`, (client, options) =>
          client.crm.objects.basicApi.getById(OBJECT_TYPE[object], key.id, [MODIFIED_PROPERTY[object]], undefined, undefined, false, key.idProperty, options),
        );
        return record.id;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return undefined;
  };

  /** Points the record's references where the links say (a key left undefined is left alone); true when any moved. */
  const applyReferences = async (object: CrmObject, id: string, links: RecordLinks): Promise<boolean> => {
    let changed = false;
    for (const reference of REFERENCES[object]) {
      const toId = links[reference.key];
      if (toId !== undefined && (await referenceLinks.set(object, reference, id, toId))) changed = true;
    }
    return changed;
  };

  return {
    async create(object, fields, links) {
      const properties = hubspotCreateProperties(rules, object, fields, links.crossRefs);
      let written: WriteResult;
      try {
        written = await upsert(object, properties, links);
      } catch (error) {
        // Another record holds one of the unique values (e.g. the email): apply the write to it instead.
        if (!(error instanceof ConflictError)) throw error;
        const existingId = error.existingId ?? (await holderOf(object, properties, links));
        if (existingId === undefined) throw error;
        written = { ...(await patch(object, existingId, properties)), created: false };
      }
      // Re-read the stamp after an association change, so the version we report is the one our own echo event will carry.
      return (await applyReferences(object, written.id, links)) ? { ...written, ...(await currentVersion(object, written.id)) } : written;
    },

    async update(object, id, fields, links) {
      const properties = hubspotWireProperties(rules, object, fields, links.crossRefs);
      // Association first, so the PATCH below returns the record's final modification stamp.
      await applyReferences(object, id, links);
      const written = Object.keys(properties).length > 0 ? await patch(object, id, properties) : await currentVersion(object, id);
      return { ...written, created: false };
    },

    async archive(object, id) {
      try {
        await api.call(`archive ${object}`, (client, options) =>
          client.crm.objects.basicApi.archive(OBJECT_TYPE[object], id, options),
        );
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
  };
}
