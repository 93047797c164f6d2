/**
 * Which traffic a write by command belongs to. `live`: a change a person made, synced within a second. `load`: an
 * initial load (a backfill's hand-over, and whatever the shop says back about it), which a system written by commands
 * carries on queues of its own, taken after live traffic, so thousands of loaded records never queue ahead of a
 * person's edit.
 */
export type Lane = 'live' | 'load';

/** A pass is on the load lane only when everything that started it came from an initial load. */
export function laneOf(events: readonly { lane?: Lane }[]): Lane {
  return events.length > 0 && events.every((event) => event.lane === 'load') ? 'load' : 'live';
}

/**
 * Task-queue priority (1 = first, 5 = last): live sync's CRM calls and a backfill's share the crm-hubspot / crm-zoho
 * queues and their server-side rate limit, and the matcher hands live tasks out first. The same keys order (and
 * share out) the requests waiting in a CRM client's own pacer (src/connectors/http/request-pacer.ts).
 */
export const LIVE_PRIORITY = 1;
export const BACKFILL_PRIORITY = 5;
