import type { RecordRef } from './records';

/** A record the hub could not sync, as the failure report keeps it. */
export type SyncOperation = 'create' | 'update' | 'delete' | 'link' | 'read';

export interface FailureInput {
  ref: RecordRef;
  operation: SyncOperation;
  category: string;
  message: string;
  fields: { field: string; reason: string }[];
  workflowId: string;
}
