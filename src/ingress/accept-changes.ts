import type { Response } from 'express';
import type { SystemName } from '../domain/records';
import { changesPerRecord, signalRecordChanges, startBulkDelivery } from '../temporal/record-signals';
import type { RecordChange } from '../workflows/messages';
import type { IngressDeps } from './ingress-deps';

/**
 * Real deliveries are far smaller (HubSpot sends at most 100 events a request, a Zoho notification one operation's
 * records): tens of thousands of records in one body could never be signalled within the deadline, so that delivery
 * would get a 503 and come back for ever while its signals still ran.
 */
export const MAX_CHANGES_PER_DELIVERY = 1_000;

/**
 * More distinct records in one delivery than people's edits produce together (HubSpot gathers a portal's events for
 * about a second, up to 100; a Zoho notification names one operation's records): an import, a mass update, a CRM
 * workflow run over a list. Such a delivery is handed over whole, in one workflow start, and fanned out to its records
 * behind it, so a burst is acknowledged as fast as it arrives; their passes take the load lane, after live passes on
 * the same rate budget, so thousands of them never queue ahead of a person's edit; an event of such a record in a
 * small delivery makes its pass live again.
 */
export const BULK_DELIVERY_RECORDS = 20;

/**
 * Answers 200 only once Temporal has accepted every change of the batch; otherwise 503, so the system delivers again
 * (a change signalled twice is harmless: the workflow re-reads the record).
 */
export async function acceptChanges(
  res: Response,
  deps: IngressDeps,
  source: SystemName,
  changes: RecordChange[],
  counts: { ignored: number; ownWrites: number },
): Promise<void> {
  if (changes.length > MAX_CHANGES_PER_DELIVERY) {
    rejectWith(res, deps, source, 413, 'too many records in one delivery', `at most ${MAX_CHANGES_PER_DELIVERY}; reconciliation picks up what a refused delivery named`);
    return;
  }
  const started = performance.now();
  const perRecord = changesPerRecord(changes);
  try {
    if (perRecord.length > BULK_DELIVERY_RECORDS) await deps.withTemporalDeadline(() => startBulkDelivery(deps.workflowClient, source, perRecord));
    else if (perRecord.length) await deps.withTemporalDeadline(() => signalRecordChanges(deps.workflowClient, perRecord, deps.syncOptions));
  } catch (error) {
    deps.logger.error({ source, err: errorSummary(error) }, 'Temporal did not accept the webhook batch');
    deps.metrics.rejected(source, 'temporal-unavailable');
    res.status(503).json({ error: 'temporal unavailable', reason: 'the changes were not accepted; deliver again' });
    return;
  }
  deps.metrics.accepted(source, changes.length, performance.now() - started);
  res.status(200).json({ accepted: changes.length, ignored: counts.ignored, ownWrites: counts.ownWrites });
}

export function rejectWith(res: Response, deps: IngressDeps, source: SystemName, status: number, error: string, reason?: string): void {
  deps.metrics.rejected(source, error);
  deps.logger.warn({ source, status, error, reason }, 'webhook rejected');
  res.status(status).json(reason ? { error, reason } : { error });
}

function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
