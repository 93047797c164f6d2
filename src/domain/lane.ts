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
