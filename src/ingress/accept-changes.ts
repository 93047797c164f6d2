import type { Response } from 'express';
import { workflowIdFor, type SystemName } from '../domain/records';
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
 * More distinct records changed by one author in one delivery than a person's edits produce (HubSpot gathers a
 * portal's events for about a second, up to 100; a Zoho notification names one operation's records): an import, a mass
 * update, a CRM workflow run over a list. Those records are handed over together, in one workflow start, and fanned out
 * behind it, so a burst is acknowledged as fast as it arrives; their passes take the load lane, after live passes on
 * the same rate budget, so thousands of them never queue ahead of a person's edit. Counted per author, not per
 * delivery: at 50 edits/s a HubSpot delivery names about 50 records, edited by as many people, and each of those edits
 * is live. A record a person changed too, in this delivery or a later small one, takes the live lane.
 */
export const BULK_DELIVERY_RECORDS = 20;

/**
 * A change as a delivery names it, with who made it when the system says so (HubSpot: changeSource and sourceId, e.g.
 * CRM_UI and userId:45678, or IMPORT). Without an author, a delivery counts as one: a Zoho notification is one
 * operation. The author never reaches Temporal: it identifies a person.
 */
export interface DeliveredChange extends RecordChange {
  author?: string;
}

/** The delivery's changes split by lane, one change per record in each (changesPerRecord). */
export function lanesOf(changes: DeliveredChange[]): { live: RecordChange[]; bulk: RecordChange[] } {
  const recordsBy = new Map<string, Set<string>>();
  for (const change of changes) {
    const author = change.author ?? '';
    const records = recordsBy.get(author) ?? new Set<string>();
    recordsBy.set(author, records.add(workflowIdFor(change.ref)));
  }
  const byPeople = new Set([...recordsBy.values()].filter((records) => records.size <= BULK_DELIVERY_RECORDS).flatMap((records) => [...records]));
  const live: RecordChange[] = [];
  const bulk: RecordChange[] = [];
  for (const { ref, event } of changes) (byPeople.has(workflowIdFor(ref)) ? live : bulk).push({ ref, event });
  return { live: changesPerRecord(live), bulk: changesPerRecord(bulk) };
}

/**
 * Answers 200 only once Temporal has accepted every change of the batch; otherwise 503, so the system delivers again
 * (a change signalled twice is harmless: the workflow re-reads the record).
 */
export async function acceptChanges(
  res: Response,
  deps: IngressDeps,
  source: SystemName,
  changes: DeliveredChange[],
  counts: { ignored: number; ownWrites: number },
): Promise<void> {
  if (changes.length > MAX_CHANGES_PER_DELIVERY) {
    rejectWith(res, deps, source, 413, 'too many records in one delivery', `at most ${MAX_CHANGES_PER_DELIVERY}; reconciliation picks up what a refused delivery named`);
    return;
  }
  const started = performance.now();
  const { live, bulk } = lanesOf(changes);
  try {
    await deps.withTemporalDeadline(() =>
      Promise.all([
        bulk.length ? startBulkDelivery(deps.workflowClient, source, bulk) : undefined,
        live.length ? signalRecordChanges(deps.workflowClient, live, deps.syncOptions) : undefined,
      ]),
    );
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
