import { REFERENCES, type CrmObject, type RecordLinks, type Reference } from '../../domain/records';
import { CrmError } from '../errors';
import { chunks } from '../batch';
import type { ReferenceLinks } from './associations';

export interface ReferenceAssignment {
  /** the referring record */
  id: string;
  /** the partners to follow; a key left undefined is left alone, null removes the partner */
  links: Pick<RecordLinks, Reference['key']>;
  /** created by this very batch: it has no associations yet, so nothing needs reading */
  fresh: boolean;
}

/**
 * ReferenceLinks.set for many records. The common backfill case (a record that follows no partner gets one) is one
 * batch association call per reference; a record whose partner changes or goes away takes the single-record path
 * (remove the old association, label the new one primary). Returns the per-record refusals (a record refused for one
 * reference is not touched for the next); retryable failures are thrown (Temporal retries the whole, idempotent, batch).
 */
export async function assignReferences(links: ReferenceLinks, object: CrmObject, assignments: ReferenceAssignment[]): Promise<Map<string, CrmError>> {
  const failures = new Map<string, CrmError>();
  for (const reference of REFERENCES[object]) {
    const wanted = assignments.flatMap((a) => {
      const toId = a.links[reference.key];
      return toId === undefined || failures.has(a.id) ? [] : [{ id: a.id, toId, fresh: a.fresh }];
    });
    const existing = wanted.filter((a) => !a.fresh).map((a) => a.id);
    const current = existing.length > 0 ? await links.followedMany(object, reference, existing) : new Map<string, string>();
    const additions: { id: string; toId: string }[] = [];
    const changes: { id: string; toId: string | null }[] = [];
    for (const assignment of wanted) {
      const followed = assignment.fresh ? undefined : current.get(assignment.id);
      if ((followed ?? null) === assignment.toId) continue;
      if (followed === undefined && assignment.toId !== null) additions.push({ id: assignment.id, toId: assignment.toId });
      else changes.push(assignment);
    }
    for (const slice of chunks(additions)) {
      try {
        await links.addMany(object, reference, slice);
      } catch (error) {
        // One unknown id refuses the whole batch: find which, one record at a time.
        if (!(error instanceof CrmError) || error.retryable) throw error;
        changes.push(...slice);
      }
    }
    for (const change of changes) {
      try {
        await links.set(object, reference, change.id, change.toId);
      } catch (error) {
        if (!(error instanceof CrmError) || error.retryable) throw error;
        failures.set(change.id, error);
      }
    }
  }
  return failures;
}
