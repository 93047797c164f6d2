import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { syncStatusQuery } from '../../src/workflows/messages';

/**
 * Awaits `waiting`; when it fails, the error carries `explain()`'s account of the state behind it, so a failure that
 * happens once in many runs says where the change stopped (never reached the workflow, a pass that found nothing to
 * do, a pass stuck waiting) instead of only that it timed out.
 */
export async function explained<T>(waiting: Promise<T>, explain: () => Promise<string>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    let account: string;
    try {
      account = await explain();
    } catch (explainError) {
      account = `(no account: ${explainError instanceof Error ? explainError.message : String(explainError)})`;
    }
    if (error instanceof Error) error.message = `${error.message}\n${account}`;
    throw error;
  }
}

/**
 * Each named record workflow's status (its query) and its history in one line per event: type, time, and the
 * activity, signal or marker it concerns, with a failure's message. Payloads stay encoded: no personal data.
 */
export async function describeWorkflows(client: Client, workflowIds: readonly string[]): Promise<string> {
  const lines: string[] = [];
  for (const workflowId of workflowIds) {
    const handle = client.workflow.getHandle(workflowId);
    const status = await handle.query(syncStatusQuery).then(
      (value) => JSON.stringify(value),
      (error: unknown) => `(query failed: ${error instanceof Error ? error.message : String(error)})`,
    );
    lines.push(`${workflowId}: ${status}`);
    const history = await handle.fetchHistory().catch(() => null);
    const scheduled = new Map<string, string>();
    for (const event of history?.events ?? []) {
      const at = new Date(Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6)).toISOString().slice(11, 23);
      const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (activity) scheduled.set(String(event.eventId), activity);
      const about =
        activity ??
        scheduled.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId ?? event.activityTaskFailedEventAttributes?.scheduledEventId ?? '')) ??
        event.workflowExecutionSignaledEventAttributes?.signalName ??
        event.markerRecordedEventAttributes?.markerName ??
        '';
      const failure = event.activityTaskFailedEventAttributes?.failure?.message ?? event.markerRecordedEventAttributes?.failure?.message ?? '';
      lines.push(`  ${at} #${String(event.eventId)} ${temporal.api.enums.v1.EventType[event.eventType ?? 0]?.replace('EVENT_TYPE_', '') ?? String(event.eventType)} ${about} ${failure}`.trimEnd());
    }
  }
  return lines.join('\n');
}
