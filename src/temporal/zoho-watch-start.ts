import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import type { WatchChannel } from '../activities/watch-activities';
import { renewWatchSignal, TASK_QUEUES, WORKFLOW_TYPES } from '../workflows/messages';
import type { zohoWatchWorkflow } from '../workflows/zoho-watch';

export function zohoWatchChannel(config: AppConfig): WatchChannel {
  return {
    channelId: config.zoho.channelId,
    events: ['Contacts.all', 'Accounts.all'],
    notifyUrl: `${config.api.publicUrl}/webhooks/zoho`,
    token: config.zoho.channelToken,
  };
}

export function zohoWatchWorkflowId(config: AppConfig): string {
  return `zoho-watch:${config.zoho.channelId}`;
}

/**
 * Starts the channel-keeping workflow, or asks the running one to renew now: a restarted CRM (or simulator) may have
 * forgotten the channel, and registering is idempotent.
 */
export async function ensureZohoWatch(client: Client, config: AppConfig): Promise<void> {
  await client.workflow.signalWithStart<typeof zohoWatchWorkflow, []>(WORKFLOW_TYPES.zohoWatch, {
    workflowId: zohoWatchWorkflowId(config),
    taskQueue: TASK_QUEUES.sync,
    args: [],
    signal: renewWatchSignal,
    signalArgs: [],
  });
}
