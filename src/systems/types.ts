import type { Client, WorkflowClient } from '@temporalio/client';
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config';
import type { CrmCallObserver, CrmConnector } from '../connectors/types';
import type { CrmObject, SystemName } from '../domain/records';
import type { SyncRules } from '../domain/schema/sync-rules';
import type { IngressDeps } from '../ingress/ingress-deps';
import type { Logger } from '../logger';
import type { SyncStore } from '../store/types';
import type { RecordSyncOptions } from '../workflows/messages';

/** What a system's connector is built from, once per process. */
export interface SystemContext {
  config: AppConfig;
  rules: SyncRules;
  /** where OAuth tokens are kept, shared by every process */
  store: Pick<SyncStore, 'getToken' | 'withTokenLock'>;
  observer?: CrmCallObserver;
}

/** What a system's ingress is built from, in the API process. */
export interface IngressContext extends IngressDeps {
  config: AppConfig;
  /** this process's store and the system's connector, when it has them (then e.g. echoes of our writes can be told apart) */
  local?: { store: SyncStore; connector: CrmConnector; rules: SyncRules };
}

/** What a system's message listener (a broker consumer) is started with, in the API process. */
export interface ListenContext {
  config: AppConfig;
  workflowClient: WorkflowClient;
  /** bounds one hand-off to Temporal, so a call to an unreachable server fails in time and can be tried again */
  withTemporalDeadline<T>(fn: () => Promise<T>): Promise<T>;
  syncOptions: RecordSyncOptions;
  logger: Logger;
  /** where the listener registers its metrics (served on /metrics) */
  registry: Registry;
  /** where unreadable messages are recorded for the failure report; absent when this process has no store */
  store?: Pick<SyncStore, 'recordDeadLetter'>;
}

/** A running listener. */
export interface Listening {
  /** why it cannot receive now (e.g. the broker is unreachable), or null: /readyz answers 503 while it says why */
  notReady(): string | null;
  /** stops consuming; what was received and not yet handed over goes back to the broker */
  close(): Promise<void>;
}

/**
 * A system plugged into the hub. Each definition lives in src/systems/<name>/ and is listed once, in
 * src/systems/registry.ts; everything else takes the list from there. `C` is the connector type the definition
 * builds, so its own extra activities can use more than CrmConnector offers.
 */
export interface SystemDefinition<C extends CrmConnector = CrmConnector> {
  /** the name used in the rules, record refs, workflow ids, task queues and metrics */
  readonly name: SystemName;
  /** how people call it, e.g. in the failure report */
  readonly label: string;
  /** the canonical objects it holds, each with the system's own name for it (contact → 'Contacts') */
  readonly objects: Readonly<Partial<Record<CrmObject, string>>>;
  /** it can find a record by match keys (email; domain, name), so records are linked rather than duplicated */
  readonly canMatch: boolean;
  /** creating a company whose name another company has lands on that one (a duplicate check on the name) */
  readonly mergesCompaniesByName: boolean;
  /**
   * objects whose every match key it keeps unique: creating one that a match would find is refused as a conflict, so
   * a batch can create first and leave the match to what was refused
   */
  readonly createRefusesMatch?: readonly CrmObject[];
  /** its connector writes by commands answered asynchronously (CrmConnector.commands) */
  readonly writesByCommand?: boolean;
  /** whether this configuration syncs it (default: always); the shop needs settings of its own */
  enabled?(config: AppConfig): boolean;
  createConnector(context: SystemContext): C;
  /** its task queue's server-side rate limit, in activities per second across all workers */
  activitiesPerSecond(config: AppConfig): number;
  /** activities its task queue runs besides the CRM ones, over the connector createConnector built */
  extraActivities?(connector: C, config: AppConfig): object;
  /** the routes that receive its change notifications, mounted by the API at ingressPath(name) (src/ingress) */
  ingress(context: IngressContext): Router;
  /** starts receiving its change messages from a broker (systems that push over a queue rather than webhooks) */
  listen?(context: ListenContext): Promise<Listening>;
  /** run once at every worker start, e.g. to start (or renew) a notification channel */
  prepare?(client: Client, config: AppConfig): Promise<void>;
  /** why prepare's effect is not in place yet (the channel not registered), or null: /readyz answers 503 until it is */
  prepared?(client: Client, config: AppConfig): Promise<string | null>;
  /** where a person opens the record in the system, for the failure report; null when it cannot be built */
  recordUrl?(config: AppConfig, object: CrmObject, id: string): string | null;
}
