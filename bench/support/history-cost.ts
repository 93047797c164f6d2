import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { WORKFLOW_TYPES } from '../../src/workflows/messages';
import { waitFor } from '../../test/support/wait-for';
import { addCounts, countActions, type ActionCount } from './actions';
import { inParallel } from './pacer';

export interface HistoryCost {
  runs: number;
  events: number;
  actions: ActionCount;
  byType: Record<string, { runs: number; events: number; actions: number }>;
}

/**
 * Workflows that run whatever the load (the Zoho channel keeper, the report and reconciliation schedules): not part
 * of any edit's cost.
 */
const BACKGROUND_TYPES = new Set<string>([WORKFLOW_TYPES.watchChannel, WORKFLOW_TYPES.failureReport, WORKFLOW_TYPES.reconcile]);

/** Every run started at or after `since`, except the background workflows. */
export async function runsStartedSince(client: Client, since: Date): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const info of client.workflow.list({ query: `StartTime >= '${since.toISOString()}'` })) {
    if (!BACKGROUND_TYPES.has(info.type)) runs.push(info);
  }
  return runs;
}

/** Waits until no run of `type` is open (record workflows complete after SYNC_IDLE_TIMEOUT_MS without events). */
export async function waitUntilClosed(client: Client, type: string, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      for await (const info of client.workflow.list({ query: `WorkflowType = '${type}' AND ExecutionStatus = 'Running'` })) {
        if (info) return false;
      }
      return true;
    },
    `every ${type} run to complete`,
    timeoutMs,
    250,
  );
}

/** Events and estimated Temporal Cloud actions of the given runs, from their full histories. */
export async function historyCost(client: Client, runs: readonly WorkflowExecutionInfo[]): Promise<HistoryCost> {
  const cost: HistoryCost = { runs: runs.length, events: 0, actions: { total: 0, byKind: {} }, byType: {} };
  await inParallel(runs, 8, async (run) => {
    const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    const events = history.events ?? [];
    const actions = countActions(events);
    cost.events += events.length;
    cost.actions = addCounts(cost.actions, actions);
    const perType = cost.byType[run.type] ?? { runs: 0, events: 0, actions: 0 };
    cost.byType[run.type] = { runs: perType.runs + 1, events: perType.events + events.length, actions: perType.actions + actions.total };
  });
  return cost;
}
