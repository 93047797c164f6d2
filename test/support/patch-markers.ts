import { temporal } from '@temporalio/proto';

const { EventType } = temporal.api.enums.v1;

/** The patches a history's markers name, each with the number of the workflow task whose commands recorded it (from 1). */
export function patchMarkers(events: temporal.api.history.v1.IHistoryEvent[]): { id: string; task: number }[] {
  let task = 0;
  const markers: { id: string; task: number }[] = [];
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) task++;
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    markers.push({ id: (JSON.parse(Buffer.from(data ?? []).toString('utf8')) as { id: string }).id, task });
  }
  return markers;
}
