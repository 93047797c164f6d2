import type { BackfillInput } from '../../src/domain/backfill-input';
import type { BackfillProgress } from '../../src/domain/backfill-progress';
import type { backfill } from '../../src/workflows/backfill';
import { BACKFILL_PRIORITY, backfillProgressQuery, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/workflows/messages';
import { progress } from './progress';
import type { BenchStack } from './stack';

export interface BackfillRun {
  workflowId: string;
  /** epoch ms: when the benchmark asked Temporal to start it, and when its result arrived */
  startedAt: number;
  finishedAt: number;
  progress: BackfillProgress | null;
}

/**
 * Starts a backfill workflow (one page per run, continued as new), reports its progress query every few seconds on
 * stderr, and resolves once the last run has completed, with the final progress it returned. After `maxSeconds` it is
 * cancelled (it then completes with the counts so far, state "cancelled").
 */
export async function runBackfill(stack: BenchStack, input: BackfillInput, label: string, maxSeconds?: number): Promise<BackfillRun> {
  const workflowId = `bench-backfill-${label}-${Date.now()}`;
  const startedAt = Date.now();
  // As the CLI starts it: its workflow tasks, like its CRM calls, after live sync's.
  const handle = await stack.client.workflow.start<typeof backfill>(WORKFLOW_TYPES.backfill, { taskQueue: TASK_QUEUES.sync, workflowId, args: [input], priority: { priorityKey: BACKFILL_PRIORITY } });
  // Without a run id the handle follows continue-as-new to the run in progress.
  const current = () => stack.client.workflow.getHandle(workflowId);
  let querying = false;
  const ticker = setInterval(() => {
    if (querying) return;
    querying = true;
    current()
      .query(backfillProgressQuery)
      .then(
        (p) => progress(`  backfill ${label}: ${p.seen}/${p.total ?? '?'} seen, ${p.created} created, ${p.linked} linked, ${p.skipped} skipped, ${p.failed} failed, ${Math.round(p.ratePerSecond)}/s`),
        () => undefined,
      )
      .finally(() => (querying = false));
  }, 5_000);
  const cap =
    maxSeconds === undefined
      ? undefined
      : setTimeout(() => {
          progress(`  backfill ${label}: still running after ${maxSeconds} s, cancelling it`);
          // Cancellation, not the cancel signal: the signal waits for the page in progress, which may be starved.
          current()
            .cancel()
            .catch(() => undefined);
        }, maxSeconds * 1000);
  let final: BackfillProgress | null = null;
  try {
    final = await handle.result();
  } finally {
    clearInterval(ticker);
    clearTimeout(cap);
  }
  return { workflowId, startedAt, finishedAt: Date.now(), progress: final };
}
