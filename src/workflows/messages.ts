import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SyncStatus } from '../temporal/search-attributes';

/**
 * Signal, query and task-queue names, defined once and shared by the API, the CLI, the worker and the tests.
 * This module is imported by workflow code, so it stays free of Node built-ins.
 */
export const TASK_QUEUES = {
  /** workflows and the activities that touch only our own store */
  sync: 'crm-sync',
  /** activities calling HubSpot, rate-limited server-side */
  hubspot: 'crm-hubspot',
  /** activities calling Zoho, rate-limited server-side */
  zoho: 'crm-zoho',
} as const;

/** A CRM told us a record changed. The payload carries no record data: the workflow reads the record itself. */
export interface RecordEvent {
  kind: 'create' | 'change' | 'delete' | 'association';
  /** epoch ms, as the CRM reported it */
  occurredAt: number;
  /** the CRM's event id, for tracing duplicates */
  eventId?: string;
}

export const recordChangedSignal = defineSignal<[RecordEvent]>('recordChanged');
/** Re-run the sync of a failed record (Web UI signal dialog, `temporal workflow signal --name retry`, our CLI). */
export const retrySignal = defineSignal('retry');

export interface RecordSyncStatus {
  status: SyncStatus;
  pendingEvents: number;
  passes: number;
  lastOutcome: string | null;
  lastError: { category: string; message: string; fields: { field: string; reason: string }[] } | null;
}

/** Register or renew the Zoho notification channel now (sent at every start: a restarted CRM may have lost it). */
export const renewWatchSignal = defineSignal('renewWatch');

export const syncStatusQuery = defineQuery<RecordSyncStatus>('syncStatus');

/** Workflow type names, for clients that start workflows without importing workflow code. */
export const WORKFLOW_TYPES = {
  recordSync: 'recordSyncWorkflow',
  zohoWatch: 'zohoWatchWorkflow',
  failureReport: 'failureReportWorkflow',
} as const;
