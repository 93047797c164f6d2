import { z } from 'zod';
import { crossReferenceFields, crossRefsIn, toCanonical, wireFieldNames } from '../../domain/mapping';
import { CRM_OBJECTS, type CrmObject, type RecordSnapshot } from '../../domain/records';
import { PermanentCrmError } from '../errors';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { UnmodifiedSince } from '../types';
import type { ZohoRecord } from './schemas';

/** This connector's name in the registry, the rules and the cross-references. */
export const ZOHO = 'zoho';

export type ZohoModule = 'Contacts' | 'Accounts';

/** The objects Zoho holds (deals stay between the shop and HubSpot). */
export const MODULE: Partial<Record<CrmObject, ZohoModule>> = { contact: 'Contacts', company: 'Accounts' };

/** The module of an object Zoho holds; the hub never routes any other object here, so another one is a bug. */
export function moduleOf(object: CrmObject): ZohoModule {
  const module = MODULE[object];
  if (!module) throw new PermanentCrmError(`Zoho holds no ${object}s`);
  return module;
}

export const ZOHO_OBJECTS = CRM_OBJECTS.filter((object) => MODULE[object] !== undefined);

/** Upsert's last duplicate check, after the cross-references: Zoho's own system duplicate field per module. */
const SYSTEM_DUPLICATE_FIELD: Record<ZohoModule, string> = { Contacts: 'Email', Accounts: 'Account_Name' };

/** Contacts' lookup to their account. */
export const ACCOUNT_LOOKUP = 'Account_Name';

const Lookup = z.object({ id: z.string() });

/** Fields a list call must name (GET /{module} requires `fields`, at most 50). */
export function listFields(rules: SyncRules, object: CrmObject): string[] {
  const names = [...wireFieldNames(rules, ZOHO, object), ...Object.values(crossReferenceFields(rules, ZOHO, object)), 'Modified_Time'];
  if (object === 'contact') names.push(ACCOUNT_LOOKUP);
  return [...new Set(names)];
}

/** Upsert's duplicate checks, in order: the cross-reference fields, then the module's system duplicate field. */
export function duplicateCheckFields(rules: SyncRules, object: CrmObject): string[] {
  return [...new Set([...Object.values(crossReferenceFields(rules, ZOHO, object)), SYSTEM_DUPLICATE_FIELD[moduleOf(object)]])];
}

export function modifiedAtOf(version: string): number {
  return Date.parse(version);
}

/**
 * The If-Unmodified-Since header for one update request, from the versions the check before it read (Zoho documents
 * it in Modified_Time's own form). One request holds one header, so it names the newest of them: every record was
 * modified no later than that when it was read, so any edit after that read is after it too, except one within that
 * same second (Zoho's times are whole seconds). No versions, no header: the write is unconditional.
 */
export function unmodifiedSinceHeader(versions: readonly UnmodifiedSince[]): Record<string, string> {
  const newest = versions.reduce<UnmodifiedSince | null>((latest, v) => (latest === null || v.modifiedAt > latest.modifiedAt ? v : latest), null);
  return newest ? { 'If-Unmodified-Since': newest.version } : {};
}

export function toSnapshot(rules: SyncRules, object: CrmObject, record: ZohoRecord): RecordSnapshot {
  const snapshot: RecordSnapshot = {
    ref: { system: ZOHO, object, id: record.id },
    version: record.Modified_Time,
    modifiedAt: modifiedAtOf(record.Modified_Time),
    fields: toCanonical(rules, ZOHO, object, record),
    crossRefs: crossRefsIn(rules, ZOHO, object, record),
  };
  if (object === 'contact') {
    const account = Lookup.safeParse(record[ACCOUNT_LOOKUP]);
    snapshot.companyId = account.success ? account.data.id : null;
  }
  return snapshot;
}
