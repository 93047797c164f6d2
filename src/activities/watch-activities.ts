import type { WatchChannel, WatchChannelClient } from '../connectors/types';
import { classifyErrors } from './activity-failure';

/** Zoho caps a channel at one week; ask for a little less so clock skew never makes the request invalid. */
const CHANNEL_TTL_MS = 7 * 24 * 3600_000 - 3600_000;

/** The channel (with its secret token) comes from config, never from workflow history. */
export function createWatchActivities(client: WatchChannelClient, channel: WatchChannel) {
  return classifyErrors({
    async renewZohoWatch(): Promise<{ expiresAt: number }> {
      return client.enableWatch(channel, new Date(Date.now() + CHANNEL_TTL_MS).toISOString());
    },
  });
}

export type WatchActivities = ReturnType<typeof createWatchActivities>;
