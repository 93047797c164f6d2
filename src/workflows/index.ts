export { failureReportWorkflow } from './failure-report';
export { recordSyncWorkflow } from './record-sync';
export { zohoWatchWorkflow } from './zoho-watch';
