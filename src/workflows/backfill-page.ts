import { ApplicationFailure, getExternalWorkflowHandle, isCancellation, log } from '@temporalio/workflow';
import { tally, type PageReport } from '../domain/backfill-progress';
import type { HubSettings } from '../domain/hub';
import type { CrmObject, RecordRef, RecordSnapshot, SystemName } from '../domain/records';
import { backfillHandoff, backfillStore, createScope } from './backfill-activities';
import { syncBatch } from './backfill-batch';
import { backfillPageDoneSignal } from './messages';
import { decidePatchesAtStart } from './patches';

export interface BackfillPageInput {
  /** the backfill's workflow id (it is told when this page is done) */
  backfillId: string;
  page: number;
  from: SystemName;
  object: CrmObject;
  dryRun: boolean;
  /** create before matching where the target allows it (createsFirst); absent in pages listed before that existed */
  createFirst?: boolean;
  records: RecordSnapshot[];
  /** the settings the backfill read, saving each page a local activity; pages listed before this read their own */
  settings?: HubSettings;
}

/**
 * One listed page through the batch pass (backfill-batch.ts), as its own workflow, when a backfill keeps several pages
 * in flight (--concurrency > 1: rate limits, not call latency, then bound the rate). The backfill continues as new
 * after each page it lists; each page's progress survives restarts in its own small history.
 */
export async function backfillPage(input: BackfillPageInput): Promise<PageReport> {
  decidePatchesAtStart();
  const report = await runPage(input.settings ?? (await backfillStore.hubSettings()), input);
  await getExternalWorkflowHandle(input.backfillId).signal(backfillPageDoneSignal, report);
  if (report.error !== undefined) throw ApplicationFailure.nonRetryable(report.error, 'BackfillPageFailed');
  return report;
}

/** The batch pass over one page, then its hand-offs and outcomes; run by a page workflow, or inline by the backfill. */
export async function runPage(settings: HubSettings, input: Omit<BackfillPageInput, 'backfillId' | 'settings'>): Promise<PageReport> {
  const scope = createScope(settings, input.from, input.dryRun, input.createFirst === true);
  let report: PageReport;
  try {
    const verdicts = await syncBatch(scope, input.object, input.records);
    const handOff = uniqueRefs(scope.handOff);
    if (handOff.length > 0) await backfillHandoff.backfillHandToLive(handOff);
    if (scope.failures.length > 0) await backfillStore.recordFailures(scope.failures);
    report = { page: input.page, verdicts: tally(verdicts), duplicates: scope.duplicates, companiesSynced: scope.companiesSynced, requests: scope.requests, existedAtCreate: scope.existedAtCreate };
  } catch (error) {
    if (isCancellation(error)) throw error;
    // Anything unexpected (a bug, a permanent failure of a whole call) stops the backfill visibly, naming this page.
    const message = error instanceof Error ? error.message : String(error);
    log.error('backfill page failed', { page: input.page, message });
    report = { page: input.page, verdicts: {}, duplicates: [], companiesSynced: 0, requests: scope.requests, error: message };
  }
  return report;
}

function uniqueRefs(refs: RecordRef[]): RecordRef[] {
  const seen = new Map<string, RecordRef>();
  for (const ref of refs) seen.set(`${ref.system}:${ref.object}:${ref.id}`, ref);
  return [...seen.values()];
}
