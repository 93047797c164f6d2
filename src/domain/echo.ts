import type { Entity } from './entity';
import type { SyncRules } from './schema/sync-rules';
import { companyValueOf, type CompanyIndex } from './companies';
import { COMPANY_FIELD, type RecordSnapshot } from './records';
import { changedFields } from './side-changes';

/**
 * The record holds exactly what its link says we last left there: typically the echo of our own write, so nothing
 * to do. Shared by the pass (stop early) and the ingresses (drop the event). A read older than the link's version
 * is not in sync either: the pass must read again.
 */
export function inSyncWithLink(rules: SyncRules, entity: Entity, record: RecordSnapshot, companies: CompanyIndex): boolean {
  const link = entity.links[record.ref.system];
  if (!link || link.recordId !== record.ref.id) return false;
  if (link.modifiedAt !== null && record.modifiedAt < link.modifiedAt) return false;
  for (const [system, id] of Object.entries(record.crossRefs ?? {})) {
    if (entity.links[system]?.recordId !== id) return false;
  }
  if (changedFields(rules, record.ref.object, record.ref.system, record.fields, link.base).length > 0) return false;
  if (record.ref.object !== 'contact' || !Object.hasOwn(link.base, COMPANY_FIELD)) return true;
  return companyValueOf(record, companies) === (link.base[COMPANY_FIELD] ?? null);
}
