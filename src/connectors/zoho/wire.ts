import type { SyncRules } from '../../config/sync-rules';
import { fromCanonical } from '../../domain/mapping';
import type { CrmObject, FieldValues } from '../../domain/records';
import type { RecordLinks } from '../types';
import { ACCOUNT_LOOKUP } from './snapshot';

export type ZohoWireRecord = Record<string, string | null | { id: string }>;

/** Canonical fields and links → a Zoho record for a write: the counterpart id and, for contacts, the account lookup. */
export function zohoWireRecord(rules: SyncRules, object: CrmObject, fields: FieldValues, links: RecordLinks): ZohoWireRecord {
  const record: ZohoWireRecord = { ...fromCanonical(rules, 'zoho', object, fields) };
  if (links.counterpartId !== undefined) record[rules.crossReference.zohoField] = links.counterpartId;
  if (object === 'contact' && links.companyId !== undefined) record[ACCOUNT_LOOKUP] = links.companyId === null ? null : { id: links.companyId };
  return record;
}
