import type { temporal } from '@temporalio/proto';
import { localCrmActivity } from '../../src/workflows/messages';

export interface HistoryCall {
  activityType: string;
  /** a local activity (a live pass's CRM call, a store call): recorded in a marker once it completed or failed */
  local: boolean;
  /** the task-queue priority a queued activity was scheduled with */
  priorityKey: number | null;
  /** a local activity's first schedule and its completion (ms since the epoch), from its marker */
  times: { scheduled: number; completed: number } | null;
}

/** A history's time (an event's, a marker's own) in ms since the epoch; its seconds may come as a Long. */
export const eventMs = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): number => Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);

/** Every activity a history scheduled on a queue, and every local activity it recorded. */
export function callsIn(events: readonly temporal.api.history.v1.IHistoryEvent[]): HistoryCall[] {
  return events.flatMap((event): HistoryCall[] => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) return [{ activityType: scheduled.activityType?.name ?? '', local: false, priorityKey: scheduled.priority?.priorityKey ?? null, times: null }];
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    // core writes the marker's own data as plain JSON (sequence, attempt, activity type), apart from the result
    const data = marker.details?.data?.payloads?.[0]?.data;
    type Time = { seconds: number; nanos: number };
    const marked = JSON.parse(Buffer.from(data ?? []).toString('utf8')) as { activity_type: string; original_schedule_time: Time; complete_time: Time };
    return [{ activityType: marked.activity_type, local: true, priorityKey: null, times: { scheduled: eventMs(marked.original_schedule_time), completed: eventMs(marked.complete_time) } }];
  });
}

/** A live pass's joined calls (src/activities/joined-pass-activities.ts): local, and their type names no system. */
export const JOINED_PASS_CALLS: ReadonlySet<string> = new Set(['settingsWithRead', 'readWithLookup', 'findWithLookup', 'createRecordingOwnWrites', 'updateRecordingOwnWrites', 'updateThenSave']);
/** The joined calls that read the pass's own record (in its system); the others reach the other systems. */
export const JOINED_SOURCE_READS: ReadonlySet<string> = new Set(['settingsWithRead', 'readWithLookup']);

/** How a history's calls went: 'local' for local calls to `system` or joined calls (a live pass), else each queued call's priority. */
export function lanesIn(events: readonly temporal.api.history.v1.IHistoryEvent[], system: string): Set<number | null | 'local'> {
  const isLocal = (call: HistoryCall) => call.activityType.startsWith(localCrmActivity(system, '')) || JOINED_PASS_CALLS.has(call.activityType);
  return new Set(callsIn(events).flatMap((call): (number | null | 'local')[] => (!call.local ? [call.priorityKey] : isLocal(call) ? ['local'] : [])));
}
