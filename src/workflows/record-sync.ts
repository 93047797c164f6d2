import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  makeContinueAsNewFunc,
  metricMeter,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SourceRead } from '../activities/joined-pass-activities';
import type { StoreActivities } from '../activities/store-activities';
import type { HubSettings } from '../domain/hub';
import { laneOf, type Lane } from '../domain/lane';
import { workflowIdFor, type RecordRef } from '../domain/records';
import { SyncStatusKey, type SyncStatus } from '../temporal/search-attributes';
import { commandReplySignal, recordChangedSignal, retrySignal, syncStatusQuery, TASK_QUEUES, type RecordEvent, type RecordSyncOptions, type RecordSyncStatus } from './messages';
import { receiveCommandReply } from './command-writes';
import { causeOf, failureTypeOf } from './failure-cause';
import { joinedCalls } from './pass-activities';
import { syncRecordPass, type PassOutcome } from './sync-pass';
import { CURRENT_PATCH_GATE } from './patch-gates';
import { decidePatchesAtStart, isPatched } from './patches';
import { oneIdleTimer, timerPerWait } from './idle-wait';

export interface RecordSyncInput {
  ref: RecordRef;
  options: RecordSyncOptions;
  /** events carried over from the previous run */
  pending?: RecordEvent[];
  /** a retry asked of the previous run, not yet made */
  retryRequested?: boolean;
  status?: RecordSyncStatus;
  /** the patch gate its starter stamped (src/workflows/patch-gates.ts); absent in runs started before stamping */
  gate?: string;
}

/** A pass is redone from a fresh read when another pass changed the same pair concurrently. */
const MAX_PASS_ATTEMPTS = 5;
const PATIENT_PASS_ATTEMPTS = 15;
const REDO_FAILURE_TYPES = new Set(['StaleRevisionError', 'NotFoundError', 'StaleReadError']);

const store = proxyLocalActivities<StoreActivities>({ startToCloseTimeout: '10s', retry: { maximumInterval: '10s' } });

/**
 * One workflow per record (`{system}:{object}:{id}`): events queue up and are applied one pass at a time, in order.
 * A record whose data the CRM refuses is marked failed and waits for its next change or a retry signal.
 */
export async function recordSyncWorkflow(input: RecordSyncInput): Promise<void> {
  decidePatchesAtStart(input.gate);
  const { ref, options } = input;
  const pending: RecordEvent[] = [...(input.pending ?? [])];
  let retryRequested = input.retryRequested ?? false;
  const state: RecordSyncStatus = input.status ?? { status: 'pending', pendingEvents: 0, passes: 0, lastOutcome: null, lastError: null };

  setHandler(recordChangedSignal, (event) => void pending.push(event));
  setHandler(retrySignal, () => void (retryRequested = true));
  setHandler(syncStatusQuery, () => ({ ...state, pendingEvents: pending.length }));
  setHandler(commandReplySignal, receiveCommandReply);
  let settings: HubSettings | undefined;

  const idle = isPatched('one-idle-timer') ? oneIdleTimer(options.idleTimeoutMs) : timerPerWait(options.idleTimeoutMs);

  for (let passesThisRun = 0; passesThisRun < options.maxPassesPerRun && !workflowInfo().continueAsNewSuggested; ) {
    // a failed record waits for its next change or a retry, however long that takes
    if (!(await idle.until(() => pending.length > 0 || retryRequested, state.status !== 'failed'))) return;
    if (options.coalesceMs > 0 && !retryRequested) await sleep(options.coalesceMs);
    // a person's change or retry among the events makes the whole pass live; only the patch's marker is new
    const lane: Lane = !retryRequested && laneOf(pending) === 'load' && isPatched('shop-command-lanes') ? 'load' : 'live';
    // Started by an import, this run's workflow tasks wait in the load queue's backlog: a person's change moves the
    // record to the live queue first, its events and status carried over.
    if (lane === 'live' && workflowInfo().taskQueue === TASK_QUEUES.syncLoad && isPatched('live-leaves-load-queue')) {
      await condition(allHandlersFinished);
      await makeContinueAsNewFunc<typeof recordSyncWorkflow>({ taskQueue: TASK_QUEUES.sync })({ ref, options, pending, status: state, retryRequested, gate: CURRENT_PATCH_GATE });
    }
    pending.length = 0;
    retryRequested = false;
    passesThisRun++;
    let read: SourceRead | undefined;
    if (!settings) ({ settings, read } = await settingsForRun(ref, lane));
    await runPass(settings, ref, state, lane, read);
    idle.passed();
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof recordSyncWorkflow>({ ref, options, pending, status: state, gate: CURRENT_PATCH_GATE });
}

/** A live run's first pass gets the run's settings with its first read: one local activity instead of two. */
async function settingsForRun(ref: RecordRef, lane: Lane): Promise<{ settings: HubSettings; read?: SourceRead }> {
  const joined = joinedCalls(lane);
  if (!joined) return { settings: await store.hubSettings() };
  const { settings, ...read } = await joined.settingsWithRead(ref);
  return { settings, read };
}

async function runPass(settings: HubSettings, ref: RecordRef, state: RecordSyncStatus, lane: Lane, read?: SourceRead): Promise<void> {
  state.passes++;
  try {
    const outcome = await passWithRedo(settings, ref, lane, read);
    const wasFailed = state.status === 'failed';
    setStatus(state, outcome === 'skipped' ? 'skipped' : 'ok');
    state.lastOutcome = outcome;
    state.lastError = null;
    countOutcome(ref, outcome);
    if (wasFailed) await store.recordSuccess(ref);
  } catch (error) {
    const failure = permanentFailure(error);
    if (!failure) throw error;
    state.lastOutcome = 'failed';
    countOutcome(ref, 'failed');
    state.lastError = { category: failure.category, message: failure.message, fields: failure.fields };
    setStatus(state, 'failed');
    log.warn('record sync failed', { workflowId: workflowIdFor(ref), category: failure.category });
    await store.recordFailure({ ref, operation: failure.operation, category: failure.category, message: failure.message, fields: failure.fields, workflowId: workflowIdFor(ref) });
  }
}

/** `read` serves the first attempt only: a redo reads afresh. */
async function passWithRedo(settings: HubSettings, ref: RecordRef, lane: Lane, read?: SourceRead): Promise<PassOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await syncRecordPass(settings, ref, [], lane, attempt === 1 ? read : undefined, attempt === 1);
    } catch (error) {
      const type = failureTypeOf(error);
      if (!type || !REDO_FAILURE_TYPES.has(type)) throw error;
      if (attempt >= MAX_PASS_ATTEMPTS) {
        if (!isPatched('redo-exhausted-marks-failed')) throw error;
        // A pass that syncs what its record points at first (a new buyer's contact for a deal) races that record's own
        // workflow for seconds, not milliseconds: later redos wait longer, up to about a minute in all.
        if (attempt < PATIENT_PASS_ATTEMPTS && isPatched('patient-redo')) {
          const waitMs = Math.min(1000 * 2 ** (attempt - MAX_PASS_ATTEMPTS), 8000);
          // the record's sync stalls for seconds here, and the redone pass fails no activity to say why
          log.warn('pass redone after a wait', { workflowId: workflowIdFor(ref), attempt, waitMs, type, reason: errorMessage(error) });
          await sleep(waitMs);
          continue;
        }
        // still racing another writer after every redo: the record waits, failed, for its next change or a retry,
        // rather than failing the whole workflow (whose pending events would then wait for a person)
        throw ApplicationFailure.nonRetryable(`gave up after ${attempt} passes: ${errorMessage(error)}`, type, { category: 'conflict', fields: [], operation: 'read' });
      }
      await sleep(100 * attempt);
    }
  }
}

/** Exported by the SDK's own metrics (Runtime telemetry), replay-safe. */
function countOutcome(ref: RecordRef, outcome: string): void {
  metricMeter.createCounter('crm_sync_syncs', 'passes', 'record sync passes by outcome').add(1, { system: ref.system, object: ref.object, outcome });
}

function setStatus(state: RecordSyncStatus, status: SyncStatus): void {
  if (state.status === status) return;
  state.status = status;
  upsertSearchAttributes([{ key: SyncStatusKey, value: status }]);
}

interface PermanentFailure {
  category: string;
  message: string;
  fields: { field: string; reason: string }[];
  operation: 'create' | 'update' | 'delete' | 'link' | 'read';
}

function errorMessage(error: unknown): string {
  const cause = causeOf(error);
  return cause instanceof Error ? cause.message : String(cause);
}

/** Non-retryable failures (the CRM or our validation refused the data) become a failed status; anything else is a bug. */
function permanentFailure(error: unknown): PermanentFailure | null {
  const cause = causeOf(error);
  if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable) return null;
  const details = (cause.details?.[0] ?? {}) as Partial<{ category: string; fields: { field: string; reason: string }[]; operation: PermanentFailure['operation'] }>;
  const activityType = error instanceof ActivityFailure ? error.activityType : undefined;
  return {
    category: details.category ?? cause.type ?? 'permanent',
    message: cause.message,
    fields: details.fields ?? [],
    operation: details.operation ?? operationOf(activityType),
  };
}

function operationOf(activityType: string | undefined): PermanentFailure['operation'] {
  switch (activityType) {
    case 'createRecord':
      return 'create';
    case 'updateRecord':
      return 'update';
    case 'archiveRecord':
      return 'delete';
    default:
      return 'read';
  }
}
