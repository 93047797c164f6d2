import { CrmError } from '../errors';
import { chunks } from '../batch';
import type { HubspotApi } from './api';
import type { CompanyLink } from './associations';

export interface CompanyAssignment {
  contactId: string;
  /** the company to follow; null removes it */
  companyId: string | null;
  /** created by this very batch: it has no associations yet, so nothing needs reading */
  fresh: boolean;
}

/**
 * CompanyLink.set for many contacts. The common backfill case (a contact with no company gets one) is one batch
 * "associate default" call, which makes that company the only, hence followed, one; a contact whose company changes
 * or goes away takes the single-record path (remove the old association, label the new one primary). Returns the
 * per-contact refusals; retryable failures are thrown (Temporal retries the whole, idempotent, batch).
 */
export async function assignCompanies(api: HubspotApi, companyLink: CompanyLink, assignments: CompanyAssignment[]): Promise<Map<string, CrmError>> {
  const failures = new Map<string, CrmError>();
  const existing = assignments.filter((a) => !a.fresh).map((a) => a.contactId);
  const current = existing.length > 0 ? await companyLink.readMany(existing) : new Map<string, string>();
  const additions: CompanyAssignment[] = [];
  const changes: CompanyAssignment[] = [];
  for (const assignment of assignments) {
    const followed = assignment.fresh ? undefined : current.get(assignment.contactId);
    if ((followed ?? null) === assignment.companyId) continue;
    if (followed === undefined && assignment.companyId !== null) additions.push(assignment);
    else changes.push(assignment);
  }
  for (const slice of chunks(additions)) {
    try {
      await api.call('associate contacts', (client, options) =>
        client.crm.associations.v4.batchApi.createDefault(
          'contacts',
          'companies',
          { inputs: slice.map((a) => ({ _from: { id: a.contactId }, to: { id: a.companyId ?? '' } })) },
          options,
        ),
      );
    } catch (error) {
      // One unknown id refuses the whole batch: find which, one contact at a time.
      if (!(error instanceof CrmError) || error.retryable) throw error;
      changes.push(...slice);
    }
  }
  for (const assignment of changes) {
    try {
      await companyLink.set(assignment.contactId, assignment.companyId);
    } catch (error) {
      if (!(error instanceof CrmError) || error.retryable) throw error;
      failures.set(assignment.contactId, error);
    }
  }
  return failures;
}
