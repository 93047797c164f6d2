import type { Client } from '@temporalio/client';
import type { ReconcileResult } from '../../src/domain/reconcile';
import { WORKFLOW_TYPES } from '../../src/workflows/messages';

/**
 * Reconciliation runs started while a figure was measured. Their Schedules fire at the clock's 5-minute marks, so a
 * window of a minute or more meets one by chance: its listing pages spend the CRMs' budgets (HubSpot searches) and the
 * records it hands over take live sync's lane. A figure taken with one is not comparable with one taken without.
 */
export interface ReconcileRuns {
  runs: number;
  /** of those, the runs finished by the time they were counted (a run that continued as new counts as its last run) */
  finished: number;
  /** records the finished runs listed, and handed to live sync */
  listed: number;
  caught: number;
}

export async function reconcileRunsBetween(client: Client, from: Date, to: Date): Promise<ReconcileRuns> {
  const query = `WorkflowType = '${WORKFLOW_TYPES.reconcile}' AND StartTime >= '${from.toISOString()}' AND StartTime <= '${to.toISOString()}'`;
  const counted: ReconcileRuns = { runs: 0, finished: 0, listed: 0, caught: 0 };
  for await (const run of client.workflow.list({ query })) {
    // a chain's earlier runs carry their counts into its last one
    if (run.status.name === 'CONTINUED_AS_NEW') continue;
    counted.runs += 1;
    if (run.status.name !== 'COMPLETED') continue;
    const result = (await client.workflow.getHandle(run.workflowId, run.runId, { followRuns: false }).result()) as ReconcileResult;
    counted.finished += 1;
    counted.listed += result.listed;
    counted.caught += result.caught;
  }
  return counted;
}

/** `fn`, and the reconciliation runs started meanwhile. */
export async function withReconcileRuns<T>(client: Client, fn: () => Promise<T>): Promise<{ result: T; reconcile: ReconcileRuns }> {
  const from = new Date();
  const result = await fn();
  return { result, reconcile: await reconcileRunsBetween(client, from, new Date()) };
}

/** How many, and what they did: "0", or "2 (of 40 listed, 5 handed to live sync; 1 not finished)". */
export function reconcileRunsText(reconcile: ReconcileRuns): string {
  if (reconcile.runs === 0) return '0';
  const unfinished = reconcile.runs - reconcile.finished;
  return `${reconcile.runs} (of ${reconcile.listed} listed, ${reconcile.caught} handed to live sync${unfinished > 0 ? `; ${unfinished} not finished` : ''})`;
}

/** "" when none ran: a figure's footnote. */
export const reconcileNote = (reconcile: ReconcileRuns): string => (reconcile.runs === 0 ? '' : `; reconciliation runs: ${reconcileRunsText(reconcile)}`);
