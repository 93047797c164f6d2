import { crossReferenceField, fromCanonical } from '../../domain/mapping';
import type { CrmObject, FieldValues } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import type { RecordLinks } from '../types';
import { ACCOUNT_LOOKUP, ZOHO } from './snapshot';

export type ZohoWireRecord = Record<string, string | null | { id: string }>;

/**
 * Canonical fields and links → a Zoho record for a write: each other system's id in its cross-reference field (where
 * Zoho has one) and, for contacts, the account lookup.
 */
export function zohoWireRecord(rules: SyncRules, object: CrmObject, fields: FieldValues, links: RecordLinks): ZohoWireRecord {
  const record: ZohoWireRecord = { ...fromCanonical(rules, ZOHO, object, fields) };
  for (const [other, id] of Object.entries(links.crossRefs ?? {})) {
    const field = crossReferenceField(rules, ZOHO, other, object);
    if (field !== undefined) record[field] = id;
  }
  if (object === 'contact' && links.companyId !== undefined) record[ACCOUNT_LOOKUP] = links.companyId === null ? null : { id: links.companyId };
  return record;
}
