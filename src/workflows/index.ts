export { backfill } from './backfill';
export { backfillPage } from './backfill-page';
export { failureReportWorkflow } from './failure-report';
export { recordSyncWorkflow } from './record-sync';
export { watchChannelWorkflow } from './watch-channel';
export { reconcile } from './reconcile';
export { bulkDelivery } from './bulk-delivery';
