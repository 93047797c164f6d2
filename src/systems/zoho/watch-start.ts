import { QueryRejectedError, ServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { WatchChannelClient } from '../../activities/watch-activities';
import type { AppConfig } from '../../config';
import { moduleOf, ZOHO, ZOHO_OBJECTS } from '../../connectors/zoho/snapshot';
import type { EnableWatchInput, ZohoWatchClient } from '../../connectors/zoho/watch';
import { ingressUrl } from '../../ingress/ingress-path';
import { renewWatchSignal, TASK_QUEUES, watchChannelStateQuery, WORKFLOW_TYPES } from '../../workflows/messages';
import type { watchChannelWorkflow } from '../../workflows/watch-channel';

/** The notification channel we keep registered with Zoho; its token is the only proof a notification is ours. */
export function zohoWatchChannel(config: AppConfig): Omit<EnableWatchInput, 'expiry'> {
  return {
    channelId: config.zoho.channelId,
    events: ZOHO_OBJECTS.map((object) => `${moduleOf(object)}.all`),
    notifyUrl: ingressUrl(config.api.publicUrl, ZOHO),
    token: config.zoho.channelToken,
  };
}

/** Renewing is registering again (Zoho's documented way), with the channel from config, never from workflow history. */
export function zohoWatchRenewal(client: ZohoWatchClient, config: AppConfig): WatchChannelClient {
  const channel = zohoWatchChannel(config);
  return { renew: (expiry) => client.enableWatch({ ...channel, expiry }) };
}

export function zohoWatchWorkflowId(config: AppConfig): string {
  return `watch:${ZOHO}:${config.zoho.channelId}`;
}

/**
 * Starts the channel-keeping workflow, or asks the running one to renew now: a restarted CRM (or simulator) may have
 * forgotten the channel, and registering is idempotent.
 */
export async function ensureZohoWatch(client: Client, config: AppConfig): Promise<void> {
  await client.workflow.signalWithStart<typeof watchChannelWorkflow, []>(WORKFLOW_TYPES.watchChannel, {
    workflowId: zohoWatchWorkflowId(config),
    taskQueue: TASK_QUEUES.sync,
    args: [{ system: ZOHO }],
    signal: renewWatchSignal,
    signalArgs: [],
  });
}

/**
 * Readiness: prepare only starts the channel-keeping workflow; a change made before its first registration completes
 * is never notified. Answered by a query, so it also needs a live worker on the sync queue.
 */
export async function zohoWatchPending(client: Client, config: AppConfig): Promise<string | null> {
  try {
    const { registeredUntil } = await client.workflow.getHandle(zohoWatchWorkflowId(config)).query(watchChannelStateQuery);
    if (registeredUntil === null) return 'Zoho notification channel not registered yet';
    // Renewals failing for a day (Zoho down, credentials revoked) let the channel lapse: notifications have stopped.
    return registeredUntil <= Date.now() ? 'Zoho notification channel expired' : null;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'Zoho notification channel workflow not started yet';
    if (error instanceof QueryRejectedError || error instanceof ServiceError) return `Zoho notification channel state unknown (${error.message})`;
    throw error;
  }
}
