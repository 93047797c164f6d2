import { z } from 'zod';
import type { CrmObject } from '../../domain/records';
import { eventRecordId } from '../event-record-id';
import { constantTimeEqual } from '../secure-compare';
import { WebhookPayloadError } from '../webhook-payload-error';

/** Zoho signs nothing: the channel token it echoes is the only proof a notification came from our subscription. */
export function verifyZohoChannelToken(received: string | undefined | null, expected: string): boolean {
  if (typeof received !== 'string' || received.length === 0) return false;
  return constantTimeEqual(expected, received);
}

export const ZohoNotificationBody = z.looseObject({
  module: z.string(),
  ids: z.array(eventRecordId),
  operation: z.string(),
  channel_id: z.union([z.string(), z.number()]).transform(String),
  token: z.string().nullish(),
  server_time: z.number().optional(),
  affected_fields: z.array(z.unknown()).optional(),
});

export type ZohoOperation = 'insert' | 'update' | 'delete' | (string & {});

export interface ZohoNotification {
  /** null for modules the connector does not sync (the caller acknowledges and drops them). */
  object: CrmObject | null;
  module: string;
  ids: string[];
  operation: ZohoOperation;
  channelId: string;
  token: string | null;
  serverTime: number | null;
}

const MODULES: Record<string, CrmObject> = { Contacts: 'contact', Accounts: 'company' };

export function parseZohoNotification(json: unknown): ZohoNotification {
  const parsed = ZohoNotificationBody.safeParse(json);
  if (!parsed.success) throw new WebhookPayloadError('Zoho notification body', parsed.error);
  const body = parsed.data;
  return {
    // An own key only: a module named "constructor" must not find Object's
    object: Object.hasOwn(MODULES, body.module) ? (MODULES[body.module] ?? null) : null,
    module: body.module,
    ids: body.ids,
    operation: body.operation,
    channelId: body.channel_id,
    token: body.token ?? null,
    serverTime: body.server_time ?? null,
  };
}
