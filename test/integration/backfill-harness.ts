import type { WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { BackfillInput } from '../../src/domain/backfill-input';
import type { BackfillProgress } from '../../src/domain/backfill-progress';
import { backfillProgressQuery, BACKFILL_PRIORITY, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/workflows/messages';
import type { backfill } from '../../src/workflows/backfill';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/** Shared by the backfill-*.test.ts files: seeding, starting a backfill, reading results out of the simulators. */

export async function seed(simUrl: string, body: { contacts: number; companies: number; seed: number }): Promise<void> {
  const response = await fetch(`${simUrl}/_sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`seed answered ${response.status}: ${await response.text()}`);
}

/**
 * A stack whose task-queue budgets are the limiters, below the simulators' own limits (so no 429s), with the
 * simulators' admin clients.
 */
export async function startBackfillTestStack(testFile: string) {
  return startTestStackWithAdmins({
    testFile,
    env: { HUBSPOT_ACTIVITIES_PER_SECOND: '40', ZOHO_ACTIVITIES_PER_SECOND: '80' },
    hubspot: { rateLimit: { perTenSeconds: 1000, searchPerSecond: 50 } },
  });
}

let started = 0;

/** Starts the `backfill` workflow by type name, as the Temporal CLI and the benchmarks do. */
export async function startBackfill(stack: TestStack, input: BackfillInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof backfill>> {
  started += 1;
  return stack.client.workflow.start<typeof backfill>(WORKFLOW_TYPES.backfill, {
    taskQueue: TASK_QUEUES.sync,
    workflowId: `backfill:${input.from}:${input.object}:test-${Date.now()}-${started}`,
    args: [input],
    priority: { priorityKey: BACKFILL_PRIORITY },
  });
}

export async function progressOf(handle: WorkflowHandle): Promise<BackfillProgress> {
  return handle.query(backfillProgressQuery);
}

export async function waitForProgress(handle: WorkflowHandle, what: string, check: (p: BackfillProgress) => boolean, timeoutMs = 60_000): Promise<BackfillProgress> {
  return waitFor(async () => {
    const progress = await progressOf(handle);
    return check(progress) ? progress : null;
  }, what, timeoutMs, 100);
}

/** Values that occur more than once (case-insensitive), e.g. emails of duplicate records. */
export function repeated(values: (string | null | undefined)[]): string[] {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value.toLowerCase(), (counts.get(value.toLowerCase()) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([value]) => value);
}

/** The counters every record ends in exactly one of. */
export function settledCount(p: BackfillProgress): number {
  return p.created + p.linked + p.updated + p.skipped + p.failed + p.handedToLive + p.wouldCreate + p.wouldLink + p.wouldUpdate;
}
