export { recordSyncWorkflow } from './record-sync';
