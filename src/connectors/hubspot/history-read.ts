import { fromCanonical, toCanonical } from '../../domain/mapping';
import type { CrmObject, FieldValues } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { chunks } from '../batch';
import type { AroundWrite, WrittenFields } from '../types';
import type { HubspotApi } from './api';
import { HUBSPOT, OBJECT_TYPE } from './snapshot';

/** HubSpot refuses a batch read asking for property history with more inputs than this (../shared/reference). */
const HISTORY_BATCH_LIMIT = 50;

interface Change {
  value: string;
  timestamp: Date;
}

/**
 * What one property held just before a write stamped `at`: what came after the write is not about it, and the newest
 * entry left holding our value is the write's own. A write that changed nothing (a person had typed that same value
 * meanwhile) has no entry of its own, so the value found is the one before theirs: what the re-read saw, which counts
 * as nothing overwritten, and nothing was.
 */
export function valueBefore(history: readonly Change[], at: number, written: string | null): string | null {
  const upToWrite = history.filter((change) => change.timestamp.getTime() <= at).sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  const [last, previous] = upToWrite;
  return (last?.value === (written ?? '') ? previous : last)?.value ?? null;
}

/** CrmConnector.aroundWrites for HubSpot: one batch read with the written properties' history per 50 records. */
export function createHubspotHistoryReader(api: HubspotApi, rules: SyncRules) {
  return async (object: CrmObject, writes: WrittenFields[]): Promise<Map<string, AroundWrite>> => {
    const out = new Map<string, AroundWrite>();
    for (const slice of chunks(writes, HISTORY_BATCH_LIMIT)) {
      const wire = new Map(slice.map((write) => [write.id, fromCanonical(rules, HUBSPOT, object, write.fields)]));
      const properties = [...new Set([...wire.values()].flatMap((values) => Object.keys(values)))];
      if (properties.length === 0) continue;
      const answer = await api.call(`read ${object} history`, (client, options) =>
        client.crm.objects.batchApi.read(OBJECT_TYPE[object], { inputs: slice.map(({ id }) => ({ id })), properties, propertiesWithHistory: properties }, false, options),
      );
      const byId = new Map(answer.results.filter((record) => !record.archived).map((record) => [record.id, record]));
      for (const write of slice) {
        const record = byId.get(write.id);
        if (!record) continue;
        const written = Object.entries(wire.get(write.id) ?? {});
        const before = Object.fromEntries(written.map(([name, value]) => [name, valueBefore(record.propertiesWithHistory?.[name] ?? [], write.at, value)]));
        const pick = (values: FieldValues): FieldValues => Object.fromEntries(Object.keys(write.fields).map((field) => [field, values[field] ?? null]));
        out.set(write.id, { before: pick(toCanonical(rules, HUBSPOT, object, before)), now: pick(toCanonical(rules, HUBSPOT, object, record.properties)) });
      }
    }
    return out;
  };
}
