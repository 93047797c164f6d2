export { recordSyncWorkflow } from './record-sync';
export { zohoWatchWorkflow } from './zoho-watch';
