import { CrmError, ValidationError } from '../connectors/errors';
import type { FieldProblem } from '../domain/field-problem';
import type { BatchCreateInput, BatchOutcome, CrmConnector, ListFilter, ListPage, ListPageRequest } from '../connectors/types';
import type { CrmObject, MatchKeys, RecordSnapshot } from '../domain/records';
import { crmCalls } from './crm-calls';
import { updateManyChecked, type CheckedUpdateInput } from '../connectors/checked-update';

/** One record's result of a batch write, as plain JSON (it crosses Temporal). */
export type BatchWriteOutcome =
  | { ok: true; id: string; version: string; modifiedAt: number; created: boolean }
  | {
      ok: false;
      /** invalid: the CRM refused the data (failure report); anything else goes to the record's live workflow */
      reason: 'invalid' | 'stale' | 'conflict' | 'gone' | 'refused';
      category: string;
      message: string;
      fields: FieldProblem[];
    };

/** A backfill's update of one record, with the values its plan read for the fields it writes (the lost-update check). */
export type BackfillUpdateInput = CheckedUpdateInput;

/**
 * A backfill's calls to one CRM, registered on that CRM's task queue next to live sync's activities: each is ONE
 * request against the queue's rate limit, however many records it carries (up to 100). Per-record refusals come
 * back in place; whole-request failures (429, 5xx, auth) are thrown and retried by Temporal, which is safe because
 * creates are upserts by unique keys and updates are patches (a retried create-first batch finds what its first
 * attempt made as conflicts, and live sync links them).
 */
export function createBackfillCrmActivities(connector: CrmConnector) {
  return crmCalls({
    async backfillCount(object: CrmObject, filter: ListFilter): Promise<number | null> {
      return connector.count(object, filter);
    },
    async backfillList(object: CrmObject, request: ListPageRequest): Promise<ListPage> {
      return connector.listPage(object, request);
    },
    async backfillRead(object: CrmObject, ids: string[]): Promise<RecordSnapshot[]> {
      return connector.getMany(object, ids);
    },
    async backfillMatch(object: CrmObject, keys: MatchKeys[]): Promise<(RecordSnapshot | null)[]> {
      return connector.findMatches(object, keys);
    },
    /** onlyNew: see CrmConnector.createMany; a refused input comes back as 'conflict'. */
    async backfillCreate(object: CrmObject, inputs: BatchCreateInput[], onlyNew = false): Promise<BatchWriteOutcome[]> {
      return refusedAsOne(inputs.length, async () => (await connector.createMany(object, inputs, { onlyNew })).map(toOutcome));
    },
    /**
     * Like updateRecord: a record whose to-be-written fields a person changed since the plan was made is not written
     * ('stale': its live workflow redoes it from fresh reads).
     */
    async backfillUpdate(object: CrmObject, inputs: BackfillUpdateInput[]): Promise<BatchWriteOutcome[]> {
      return refusedAsOne(inputs.length, async () => (await updateManyChecked(connector, object, inputs)).map(toOutcome));
    },
  }, HEARTBEAT_EVERY_MS);
}

/** A batch may take a while: a heartbeat every 3 s against the page's 15 s heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 3000;

export type BackfillCrmActivities = ReturnType<typeof createBackfillCrmActivities>;

function refusal(reason: Exclude<BatchWriteOutcome, { ok: true }>['reason'], category: string, message: string, fields: FieldProblem[] = []): BatchWriteOutcome {
  return { ok: false, reason, category, message, fields };
}

function toOutcome(outcome: BatchOutcome): BatchWriteOutcome {
  if (outcome.ok) return { ok: true, ...outcome.result };
  const { error } = outcome;
  if (error instanceof ValidationError) return refusal('invalid', error.category, error.message, error.fields);
  const reason = error.category === 'conflict' ? 'conflict' : error.category === 'stale' ? 'stale' : error.category === 'not_found' ? 'gone' : 'refused';
  return refusal(reason, error.category, error.message);
}

/**
 * A whole batch refused for good (e.g. a property the CRM does not know) becomes a refusal of each record: they go
 * to their live workflows, which report the failure per record. Retryable errors still propagate to Temporal.
 */
async function refusedAsOne(size: number, run: () => Promise<BatchWriteOutcome[]>): Promise<BatchWriteOutcome[]> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CrmError) || error.retryable) throw error;
    return Array.from({ length: size }, () => refusal('refused', error.category, error.message));
  }
}
