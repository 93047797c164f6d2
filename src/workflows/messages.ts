import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BackfillProgress, PageReport } from '../domain/backfill-progress';
import type { BackfillReach } from '../domain/backfill-reach';
import type { Lane } from '../domain/lane';
import type { RecordRef, SystemName } from '../domain/records';
import type { SyncStatus } from '../temporal/search-attributes';

/**
 * Signal, query and task-queue names, defined once and shared by the API, the CLI, the worker and the tests.
 * This module is imported by workflow code, so it stays free of Node built-ins.
 */
export const TASK_QUEUES = {
  /** workflows and the activities that touch only our own store */
  sync: 'crm-sync',
  /** record workflows started by bulk traffic (an import's fan-out, a backfill's hand-over): SYNC_LOAD_TASKS at a time */
  syncLoad: 'crm-sync-load',
  /** a bulk delivery's signals to its records' workflows, a few deliveries at a time (src/worker/create-workers.ts) */
  fanOut: 'crm-sync-fan-out',
} as const;

/** Each system's calls run on a task queue of its own, rate-limited server-side for that system. */
export function taskQueueFor(system: SystemName): string {
  return `crm-${system}`;
}

/** The name a system's CRM call is registered under as a local activity (src/workflows/pass-activities.ts). */
export function localCrmActivity(system: SystemName, call: string): string {
  return `${system}.${call}`;
}

/** Every task queue a worker polls, for the given systems: what readiness checks and start-up lists name. */
export function workerTaskQueues(systems: readonly SystemName[]): string[] {
  return [TASK_QUEUES.sync, TASK_QUEUES.syncLoad, TASK_QUEUES.fanOut, ...systems.map(taskQueueFor)];
}

export { BACKFILL_PRIORITY, LIVE_PRIORITY } from '../domain/lane';

/** A CRM told us a record changed. The payload carries no record data: the workflow reads the record itself. */
export interface RecordEvent {
  kind: 'create' | 'change' | 'delete' | 'association';
  /** epoch ms, as the CRM reported it */
  occurredAt: number;
  /** the CRM's event id, for tracing duplicates */
  eventId?: string;
  /** `load`: handed over by an initial load, or the shop's word on a load command; absent: live */
  lane?: Lane;
}

/** One record's change as an ingress hands it over. */
export interface RecordChange {
  ref: RecordRef;
  event: RecordEvent;
}

/**
 * The records of a delivery that one author changed more of than a person's edits produce (an import, a mass update),
 * accepted together by starting one workflow that signals them at the fan-out queue's pace. The changes are collapsed
 * to one per record and carry the load lane. They name records, never their data.
 */
export interface BulkDelivery {
  source: SystemName;
  changes: RecordChange[];
}

export const recordChangedSignal = defineSignal<[RecordEvent]>('recordChanged');
/** Re-run the sync of a failed record (Web UI signal dialog, `temporal workflow signal --name retry`, our CLI). */
export const retrySignal = defineSignal('retry');

/** What every record workflow is started with; the rules themselves come from the worker (hubSettings). */
export interface RecordSyncOptions {
  /** gather a burst of events into one pass */
  coalesceMs: number;
  /** complete after this long without events (a later event starts a new run); failed records stay open */
  idleTimeoutMs: number;
  /** continue-as-new after this many passes, before the history grows large */
  maxPassesPerRun: number;
}

export interface RecordSyncStatus {
  status: SyncStatus;
  pendingEvents: number;
  passes: number;
  lastOutcome: string | null;
  lastError: { category: string; message: string; fields: { field: string; reason: string }[] } | null;
}

/**
 * A system that is written by commands (the shop) answers each one asynchronously; its consumer hands the answer to
 * the record workflow that sent the command, whose id is the first part of the correlation id.
 */
export interface CommandReply {
  correlationId: string;
  /** the record the command created or updated, with its version; absent when it was refused */
  result?: { id: string; version: string; modifiedAt: number; created: boolean };
  /** why it was refused (the shop's contract or rules): the record is marked failed */
  errors?: { field: string; reason: string }[];
}

export const commandReplySignal = defineSignal<[CommandReply]>('commandReply');

/** The correlation id of a command a record workflow sends: its own id, then a per-command part. */
export function correlationIdFor(workflowId: string, commandId: string): string {
  return `${workflowId}/${commandId}`;
}

/** The workflow a reply belongs to, or null when the correlation id is not one of ours. */
export function workflowIdOfCorrelation(correlationId: string): string | null {
  const slash = correlationId.lastIndexOf('/');
  return slash > 0 ? correlationId.slice(0, slash) : null;
}

/** Register or renew a system's notification channel now (sent at every start: a restarted system may have lost it). */
export const renewWatchSignal = defineSignal('renewWatch');

/** A notification channel's state, for /readyz: null until the first registration has completed. */
export interface WatchChannelState {
  registeredUntil: number | null;
}

export const watchChannelStateQuery = defineQuery<WatchChannelState>('watchChannelState');

export const syncStatusQuery = defineQuery<RecordSyncStatus>('syncStatus');

/** Backfill control (Web UI signal dialog, `temporal workflow signal --name pause|resume|cancel`, our CLI). */
export const backfillPauseSignal = defineSignal('pause');
export const backfillResumeSignal = defineSignal('resume');
/** Stops after the page in progress and completes with the final counts. */
export const backfillCancelSignal = defineSignal('cancel');
/** Pages done, records seen/created/updated/linked/skipped/failed, rate and ETA (`temporal workflow query --name progress`). */
export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');
/**
 * Internal: what a backfill has still to list (its window and cursor), so that reconciliation leaves those records to
 * it instead of handing each to live sync ahead of it.
 */
export const backfillReachQuery = defineQuery<BackfillReach>('reach');
/** Internal: a page workflow tells its backfill (by workflow id, so it reaches the current run) that its page is done. */
export const backfillPageDoneSignal = defineSignal<[PageReport]>('pageDone');

/** Workflow type names, for clients that start workflows without importing workflow code. */
export const WORKFLOW_TYPES = {
  recordSync: 'recordSyncWorkflow',
  backfill: 'backfill',
  backfillPage: 'backfillPage',
  watchChannel: 'watchChannelWorkflow',
  failureReport: 'failureReportWorkflow',
  reconcile: 'reconcile',
  bulkDelivery: 'bulkDelivery',
} as const;
