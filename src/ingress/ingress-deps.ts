import type { WorkflowClient } from '@temporalio/client';
import type { Logger } from '../logger';
import type { RecordSyncOptions } from '../workflows/messages';
import type { IngressMetrics } from './ingress-metrics';

/** What every system's ingress hands its changes to. */
export interface IngressDeps {
  workflowClient: WorkflowClient;
  /** bounds the hand-off to Temporal, so an unreachable server turns into a 503 rather than a hanging request */
  withTemporalDeadline<T>(fn: () => Promise<T>): Promise<T>;
  syncOptions: RecordSyncOptions;
  logger: Logger;
  metrics: IngressMetrics;
  /** the URL the systems were told to call, as a signing system signed it */
  publicUrl: string;
  bodyLimit: string;
}
