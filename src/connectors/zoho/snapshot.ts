import { z } from 'zod';
import type { SyncRules } from '../../config/sync-rules';
import { isHot, toCanonical, wireFieldNames } from '../../domain/mapping';
import type { CrmObject, RecordSnapshot } from '../../domain/records';
import type { ZohoRecord } from './schemas';

export type ZohoModule = 'Contacts' | 'Accounts';

export const MODULE: Record<CrmObject, ZohoModule> = { contact: 'Contacts', company: 'Accounts' };

/** Upsert's second duplicate check, after the cross-reference: Zoho's own system duplicate field per module. */
export const SYSTEM_DUPLICATE_FIELD: Record<CrmObject, string> = { contact: 'Email', company: 'Account_Name' };

/** Contacts' lookup to their account. */
export const ACCOUNT_LOOKUP = 'Account_Name';

const Lookup = z.object({ id: z.string() });

/** Fields a list call must name (GET /{module} requires `fields`, at most 50). */
export function listFields(rules: SyncRules, object: CrmObject): string[] {
  const names = [...wireFieldNames(rules, 'zoho', object), rules.crossReference.zohoField, 'Modified_Time'];
  if (object === 'contact') names.push(ACCOUNT_LOOKUP);
  return [...new Set(names)];
}

export function modifiedAtOf(version: string): number {
  return Date.parse(version);
}

export function toSnapshot(rules: SyncRules, object: CrmObject, record: ZohoRecord): RecordSnapshot {
  const counterpart = record[rules.crossReference.zohoField];
  const snapshot: RecordSnapshot = {
    ref: { system: 'zoho', object, id: record.id },
    version: record.Modified_Time,
    modifiedAt: modifiedAtOf(record.Modified_Time),
    fields: toCanonical(rules, 'zoho', object, record),
    counterpartId: typeof counterpart === 'string' && counterpart !== '' ? counterpart : null,
    hot: isHot(rules, object, record),
  };
  if (object === 'contact') {
    const account = Lookup.safeParse(record[ACCOUNT_LOOKUP]);
    snapshot.companyId = account.success ? account.data.id : null;
  }
  return snapshot;
}
