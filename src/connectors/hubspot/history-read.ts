import { fromCanonical, toCanonical } from '../../domain/mapping';
import type { ReplacedValues } from '../../domain/merge';
import type { WrittenSince } from '../../domain/own-writes';
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

interface WithHistory {
  properties: Record<string, string | null>;
  history: Record<string, Change[]>;
}

/**
 * Per record asked for, what `answer` makes of it read with the history of the properties that hold its `fields` (one
 * batch read per 50 records); records no longer there, and those it answers null for, are left out.
 */
async function withHistory<W extends { id: string; fields: FieldValues }, A>(
  api: HubspotApi,
  rules: SyncRules,
  object: CrmObject,
  records: W[],
  answer: (record: W, read: WithHistory) => A | null,
): Promise<Map<string, A>> {
  const out = new Map<string, A>();
  for (const slice of chunks(records, HISTORY_BATCH_LIMIT)) {
    const properties = [...new Set(slice.flatMap(({ fields }) => Object.keys(fromCanonical(rules, HUBSPOT, object, fields))))];
    if (properties.length === 0) continue;
    const result = await api.call(`read ${object} history`, (client, options) =>
      client.crm.objects.batchApi.read(OBJECT_TYPE[object], { inputs: slice.map(({ id }) => ({ id })), properties, propertiesWithHistory: properties }, false, options),
    );
    const byId = new Map(result.results.filter((record) => !record.archived).map((record) => [record.id, record]));
    for (const record of slice) {
      const read = byId.get(record.id);
      const answered = read ? answer(record, { properties: read.properties, history: read.propertiesWithHistory ?? {} }) : null;
      if (answered !== null) out.set(record.id, answered);
    }
  }
  return out;
}

const pick = (fields: FieldValues, values: FieldValues): FieldValues => Object.fromEntries(Object.keys(fields).map((field) => [field, values[field] ?? null]));

/** CrmConnector.aroundWrites for HubSpot. */
export function createHubspotHistoryReader(api: HubspotApi, rules: SyncRules) {
  return (object: CrmObject, writes: WrittenFields[]): Promise<Map<string, AroundWrite>> =>
    withHistory(api, rules, object, writes, (write, record) => {
      const written = Object.entries(fromCanonical(rules, HUBSPOT, object, write.fields));
      const before = Object.fromEntries(written.map(([name, value]) => [name, valueBefore(record.history[name] ?? [], write.at, value)]));
      return { before: pick(write.fields, toCanonical(rules, HUBSPOT, object, before)), now: pick(write.fields, toCanonical(rules, HUBSPOT, object, record.properties)) };
    });
}

/**
 * What our write of `written` replaced, from a property's history: the entry before the newest, when the newest holds
 * our value and came after `since` (the record's last sync, so it is our write's own entry and not an older one a
 * person typed). Null when the newest change is not ours, or our write found the property never set.
 */
export function replacedBy(history: readonly Change[], since: number, written: string | null): Change | null {
  const [last, previous] = [...history].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime());
  if (!last || last.value !== (written ?? '') || last.timestamp.getTime() <= since) return null;
  return previous ?? null;
}

/** CrmConnector.valuesReplaced for HubSpot. */
export function createHubspotReplacedReader(api: HubspotApi, rules: SyncRules) {
  return (object: CrmObject, writes: WrittenSince[]): Promise<Map<string, ReplacedValues>> =>
    withHistory(api, rules, object, writes, (write, record) => {
      const replaced: ReplacedValues = {};
      for (const [field, value] of Object.entries(write.fields)) {
        const changes = Object.entries(fromCanonical(rules, HUBSPOT, object, { [field]: value })).map(([name, ours]) => [name, replacedBy(record.history[name] ?? [], write.since, ours)] as const);
        if (changes.length === 0 || changes.some(([, change]) => change === null)) continue;
        const canonical = toCanonical(rules, HUBSPOT, object, Object.fromEntries(changes.map(([name, change]) => [name, change?.value ?? null])));
        replaced[field] = { value: canonical[field] ?? null, at: Math.max(...changes.map(([, change]) => change?.timestamp.getTime() ?? 0)) };
      }
      return Object.keys(replaced).length > 0 ? replaced : null;
    });
}
