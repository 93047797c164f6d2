import { compareNumericIds, type BackfillRequest } from './backfill-input';
import type { BackfillState } from './backfill-progress';
import { boundInstantMs, type ListFilter } from './listing';
import type { CrmObject, RecordSnapshot, SystemName } from './records';

/** What a backfill says of the records it has still to list (its `reach` query). */
export interface BackfillReach {
  from: SystemName;
  object: CrmObject;
  /** running and writing: a paused, cancelled or dry-run backfill may never sync what it has not listed */
  willSync: boolean;
  filter: ListFilter;
  /** its next page's cursor, opaque (the connector's); absent before its first page */
  cursor?: string;
  listedAll: boolean;
}

/** The records a backfill lists: its request's window, ending where the backfill started unless the request says. */
export function backfillFilter(request: BackfillRequest, state: BackfillState): ListFilter {
  const { modifiedAfter, createdAfter, createdBefore, idFrom, idTo } = request;
  return { modifiedAfter, modifiedBefore: state.before, createdAfter, createdBefore, idFrom, idTo };
}

export function reachOf(request: BackfillRequest, state: BackfillState): BackfillReach {
  const willSync = !state.paused && !state.cancelled && request.dryRun !== true;
  return { from: request.from, object: request.object, willSync, filter: backfillFilter(request, state), ...(state.cursor === undefined ? {} : { cursor: state.cursor }), listedAll: state.listedAll };
}

/** A running backfill's window, and the last id it listed (null: none yet): every record past it is still to come. */
export interface BackfillAhead {
  filter: ListFilter;
  afterId: string | null;
}

/**
 * Whether a backfill will list `record` as it is now: inside its window, past the last id it listed. A filter on the
 * creation time cannot be told from a snapshot, which carries no creation time: no.
 */
export function willReach(ahead: BackfillAhead, record: RecordSnapshot): boolean {
  const { filter, afterId } = ahead;
  const { id } = record.ref;
  if (filter.createdAfter !== undefined || filter.createdBefore !== undefined) return false;
  if (filter.modifiedAfter !== undefined && record.modifiedAt < boundInstantMs(filter.modifiedAfter)) return false;
  if (filter.modifiedBefore !== undefined && record.modifiedAt >= boundInstantMs(filter.modifiedBefore)) return false;
  if (filter.idFrom !== undefined && compareNumericIds(id, filter.idFrom) < 0) return false;
  if (filter.idTo !== undefined && compareNumericIds(id, filter.idTo) > 0) return false;
  return afterId === null || compareNumericIds(id, afterId) > 0;
}
