import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Temporal Cloud's billable Actions, estimated from one run's event history the way Temporal documents them
 * (docs.temporal.io/cloud/actions; the Web UI's "Billable Actions" column works from history the same way):
 *
 * - workflow started: 1 per run, including runs started by continue-as-new and child workflows; a
 *   Signal-With-Start counts 1 in total, whether or not it started the run
 * - signal received: 1 each (sent by a client or by another workflow)
 * - timer started: 1 each (including the implicit timer of `condition(fn, timeout)`)
 * - search attributes upserted: 1 per UpsertWorkflowSearchAttributes command
 * - activity started or retried: 1 per attempt
 * - local activities: 1 per workflow task that recorded markers, however many it recorded
 * - child workflow initiated: 1 in the parent (its start counts in the child's own history)
 * - update accepted or rejected, workflow options updated: 1 each
 *
 * Not visible in history, so not counted: queries (the benchmark's own progress queries would be), heartbeats,
 * schedule actions, extra workflow-task heartbeats of long local activities.
 */
export interface ActionCount {
  total: number;
  byKind: Record<string, number>;
}

export function countActions(events: readonly HistoryEvent[]): ActionCount {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => {
    byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  // Commands (markers among them) follow the WorkflowTaskCompleted event of the task that issued them.
  const markerTasks = new Set<number>();
  let task = -1;
  events.forEach((event, index) => {
    if (event.workflowTaskCompletedEventAttributes) task = index;
    else if (event.workflowExecutionStartedEventAttributes) add('workflowStarted');
    else if (event.workflowExecutionSignaledEventAttributes) {
      // A Signal-With-Start that started the run is one action in all: its signal is the event right after the start.
      const previous = index > 0 ? events[index - 1] : undefined;
      const startedBySignal = index === 1 && previous?.workflowExecutionStartedEventAttributes && !previous.workflowExecutionStartedEventAttributes.continuedExecutionRunId;
      if (!startedBySignal) add('signal');
    } else if (event.timerStartedEventAttributes) add('timer');
    else if (event.upsertWorkflowSearchAttributesEventAttributes) add('searchAttributes');
    else if (event.activityTaskStartedEventAttributes) add('activity', Math.max(1, event.activityTaskStartedEventAttributes.attempt ?? 1));
    else if (event.markerRecordedEventAttributes) markerTasks.add(task);
    else if (event.startChildWorkflowExecutionInitiatedEventAttributes) add('childWorkflow');
    else if (event.workflowExecutionUpdateAcceptedEventAttributes || event.workflowExecutionUpdateRejectedEventAttributes) add('update');
    else if (event.workflowExecutionOptionsUpdatedEventAttributes) add('optionsUpdated');
  });
  if (markerTasks.size) add('localActivities', markerTasks.size);
  const total = Object.values(byKind).reduce((sum, n) => sum + n, 0);
  return { total, byKind };
}

export function addCounts(into: ActionCount, more: ActionCount): ActionCount {
  const byKind = { ...into.byKind };
  for (const [kind, n] of Object.entries(more.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
  return { total: into.total + more.total, byKind };
}
