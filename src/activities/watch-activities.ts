import { classifyErrors } from './activity-failure';

/** A system whose change notifications need a channel that expires (Zoho's watch API). */
export interface WatchChannelClient {
  /** Registers or renews the channel until `expiry`; answers when it really expires. */
  renew(expiry: Date): Promise<{ expiresAt: string }>;
}

/** Zoho caps a channel at one week; ask for a little less so clock skew never makes the request invalid. */
const CHANNEL_TTL_MS = 7 * 24 * 3600_000 - 3600_000;

/** The channel (with its secret token) is the client's, from config, never from workflow history. */
export function createWatchActivities(client: WatchChannelClient) {
  return classifyErrors({
    async renewWatch(): Promise<{ expiresAt: number }> {
      const { expiresAt } = await client.renew(new Date(Date.now() + CHANNEL_TTL_MS));
      return { expiresAt: Date.parse(expiresAt) };
    },
  });
}

export type WatchActivities = ReturnType<typeof createWatchActivities>;
