import type { WorkflowClient } from '@temporalio/client';
import type { Logger } from '../logger';
import type { RecordSyncOptions } from '../workflows/record-sync';
import type { IngressMetrics } from './ingress-metrics';
import type { ZohoEchoFilter } from './zoho-echo-filter';

export interface IngressDeps {
  workflowClient: WorkflowClient;
  /** bounds the hand-off to Temporal, so an unreachable server turns into a 503 rather than a hanging request */
  withTemporalDeadline<T>(fn: () => Promise<T>): Promise<T>;
  syncOptions: RecordSyncOptions;
  logger: Logger;
  metrics: IngressMetrics;
  /** the URL the CRMs were told to call, as HubSpot signed it */
  publicUrl: string;
  bodyLimit: string;
  hubspotClientSecret: string;
  hubspotAppId: string;
  zohoChannelToken: string;
  /** drops the echoes of our own Zoho writes; without it (no store in this process) every notified record is signalled */
  zohoEchoFilter?: ZohoEchoFilter;
}
