import { CrmError, ValidationError } from '../connectors/errors';
import type { FieldProblem } from '../domain/field-problem';
import type { BatchCreateInput, BatchOutcome, BatchUpdateInput, CrmConnector, ListFilter, ListPage, ListPageRequest } from '../connectors/types';
import type { CrmObject, FieldValues, MatchKeys, RecordSnapshot } from '../domain/records';
import { crmCalls } from './crm-calls';
import { changedSinceRead } from './lost-update';

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

export interface BackfillUpdateInput extends BatchUpdateInput {
  /** the values the plan was based on, for the fields about to be written (the lost-update check) */
  expected?: FieldValues;
}

/**
 * A backfill's calls to one CRM, registered on that CRM's task queue next to live sync's activities: each is ONE
 * request against the queue's rate limit, however many records it carries (up to 100). Per-record refusals come
 * back in place; whole-request failures (429, 5xx, auth) are thrown and retried by Temporal, which is safe because
 * creates are upserts by unique keys and updates are patches.
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
    async backfillCreate(object: CrmObject, inputs: BatchCreateInput[]): Promise<BatchWriteOutcome[]> {
      return refusedAsOne(inputs.length, async () => (await connector.createMany(object, inputs)).map(toOutcome));
    },
    /**
     * Like updateRecord: the records are read again right before writing, and a record whose to-be-written fields a
     * person changed since the plan was made is not written ('stale': its live workflow redoes it from fresh reads).
     */
    async backfillUpdate(object: CrmObject, inputs: BackfillUpdateInput[]): Promise<BatchWriteOutcome[]> {
      return refusedAsOne(inputs.length, async () => {
        const outcomes: (BatchWriteOutcome | undefined)[] = inputs.map(() => undefined);
        const checked = inputs.filter((input) => input.expected && Object.keys(input.expected).length > 0);
        const current = new Map((checked.length > 0 ? await connector.getMany(object, checked.map((i) => i.id)) : []).map((r) => [r.ref.id, r]));
        inputs.forEach((input, index) => {
          if (!input.expected || Object.keys(input.expected).length === 0) return;
          const now = current.get(input.id);
          const changed = now ? changedSinceRead(now, input.expected) : [];
          if (!now) outcomes[index] = refusal('gone', 'not_found', `${connector.system} ${object} ${input.id} no longer exists`);
          else if (changed.length > 0) outcomes[index] = refusal('stale', 'stale', `${connector.system} ${object} ${input.id} changed since it was read (${changed.join(', ')})`);
        });
        const writable = inputs.flatMap((input, index) => (outcomes[index] ? [] : [{ index, input: { id: input.id, fields: input.fields, links: input.links } }]));
        const written = writable.length > 0 ? await connector.updateMany(object, writable.map((w) => w.input)) : [];
        writable.forEach((w, position) => {
          const outcome = written[position];
          outcomes[w.index] = outcome ? toOutcome(outcome) : refusal('refused', 'permanent', 'no answer for this record');
        });
        return outcomes.map((outcome) => outcome ?? refusal('refused', 'permanent', 'no answer for this record'));
      });
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
  const reason = error.category === 'conflict' ? 'conflict' : error.category === 'not_found' ? 'gone' : 'refused';
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
