import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';

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

/** The patch gate its starter stamped into a run's input (src/workflows/patch-gates.ts), decoded with the run's codecs. */
export async function stampedGate(events: temporal.api.history.v1.IHistoryEvent[], dataConverter: DataConverter): Promise<string | undefined> {
  let payloads = (events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []) as Payload[];
  for (const codec of [...(dataConverter.payloadCodecs ?? [])].reverse()) payloads = await codec.decode(payloads);
  const [input] = payloads;
  return input ? defaultPayloadConverter.fromPayload<{ gate?: string }>(input).gate : undefined;
}
