import type { EnableWatchInput, ZohoWatchClient } from '../connectors/zoho/watch';
import { classifyErrors } from './activity-failure';

/** Zoho caps a channel at one week; ask for a little less so clock skew never makes the request invalid. */
const CHANNEL_TTL_MS = 7 * 24 * 3600_000 - 3600_000;

export type WatchChannel = Omit<EnableWatchInput, 'expiry'>;

/** The channel (with its secret token) comes from config, never from workflow history. */
export function createWatchActivities(client: ZohoWatchClient, channel: WatchChannel) {
  return classifyErrors({
    async renewZohoWatch(): Promise<{ expiresAt: number }> {
      const { expiresAt } = await client.enableWatch({ ...channel, expiry: new Date(Date.now() + CHANNEL_TTL_MS) });
      return { expiresAt: Date.parse(expiresAt) };
    },
  });
}

export type WatchActivities = ReturnType<typeof createWatchActivities>;
