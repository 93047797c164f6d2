import { TransientCrmError } from '../errors';
import type { ZohoHttp } from './http';
import { ZohoWatchResponse } from './schemas';
import { classifyZohoError } from './zoho-errors';

export interface EnableWatchInput {
  channelId: string;
  /** e.g. ["Contacts.all", "Accounts.all"] */
  events: string[];
  notifyUrl: string;
  /** Echoed in every notification; the only proof it came from our subscription (≤50 chars per the docs). */
  token: string;
  /** Zoho caps channels at one week and silently falls back to one hour beyond that: renew before it. */
  expiry: Date;
}

export interface ZohoWatchClient {
  /** Subscribes (or re-subscribes: the documented way to renew) the channel; returns when Zoho says it expires. */
  enableWatch(input: EnableWatchInput): Promise<{ expiresAt: string }>;
  /** Unsubscribes; a channel that is not subscribed counts as done. */
  disableWatch(channelId: string): Promise<void>;
}

const PATH = '/crm/v8/actions/watch';

export function createZohoWatchClient(http: ZohoHttp): ZohoWatchClient {
  const firstItem = (operation: string, status: number, body: unknown) => {
    const parsed = ZohoWatchResponse.safeParse(body);
    if (!parsed.success) throw new TransientCrmError(`Zoho ${operation} answered an unexpected body`, status);
    const item = parsed.data.watch[0];
    if (item === undefined) throw new TransientCrmError(`Zoho ${operation}: empty answer`, status);
    return item;
  };

  return {
    async enableWatch(input) {
      const operation = 'enable watch';
      const { status, body } = await http.request(operation, {
        method: 'POST',
        path: PATH,
        body: {
          watch: [
            {
              channel_id: input.channelId,
              events: input.events,
              channel_expiry: input.expiry.toISOString(),
              token: input.token,
              notify_url: input.notifyUrl,
              // Related-record changes (a contact's account edited) would otherwise notify as contact changes.
              notify_on_related_action: false,
            },
          ],
        },
      });
      const item = firstItem(operation, status, body);
      if (item.status === 'error') throw classifyZohoError(operation, status, item, http.rateLimitDefaultMs);
      const expiries = (item.details.events ?? []).flatMap((e) => (e.channel_expiry ? [Date.parse(e.channel_expiry)] : []));
      const earliest = expiries.length > 0 ? Math.min(...expiries) : input.expiry.getTime();
      return { expiresAt: new Date(earliest).toISOString() };
    },

    async disableWatch(channelId) {
      const operation = 'disable watch';
      const { status, body } = await http.request(operation, { method: 'DELETE', path: PATH, params: { channel_ids: channelId } });
      const item = firstItem(operation, status, body);
      if (item.status === 'error' && item.code !== 'NOT_SUBSCRIBED') throw classifyZohoError(operation, status, item, http.rateLimitDefaultMs);
    },
  };
}
