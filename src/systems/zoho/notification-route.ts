import express, { type Request, type Response, type Router } from 'express';
import { parseZohoNotification, verifyZohoChannelToken } from '../../connectors/zoho/notification';
import { ZOHO } from '../../connectors/zoho/snapshot';
import { acceptChanges, MAX_CHANGES_PER_DELIVERY, rejectWith } from '../../ingress/accept-changes';
import type { RecordChange } from '../../workflows/messages';
import type { IngressContext } from '../types';
import { createZohoEchoFilter } from './echo-filter';

/** The echo check's share of a delivery; past it the notification is signalled whole. */
const ECHO_CHECK_MS = 1_500;
/** Within that, how long a record holding a write whose pass has not saved yet waits for the save. */
const ECHO_SAVE_WAIT_MS = 1_000;

export function zohoNotificationRoute(context: IngressContext): Router {
  const channelToken = context.config.zoho.channelToken;
  // Without a store in this process every notified record is signalled.
  const echoFilter = context.local
    ? createZohoEchoFilter({ connector: context.local.connector, store: context.local.store, rules: context.local.rules, logger: context.logger, timeoutMs: ECHO_CHECK_MS, saveWaitMs: ECHO_SAVE_WAIT_MS })
    : undefined;
  const router = express.Router();
  router.post('/', express.raw({ type: () => true, limit: context.bodyLimit }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return rejectWith(res, context, ZOHO, 400, 'malformed JSON');
    }
    // Only a string can be the token: String() of a hostile object ({"toString": …}) would throw
    const token = typeof json === 'object' && json !== null && 'token' in json && typeof json.token === 'string' ? json.token : '';
    if (!verifyZohoChannelToken(token, channelToken)) return rejectWith(res, context, ZOHO, 401, 'invalid channel token');
    let notification: ReturnType<typeof parseZohoNotification>;
    try {
      notification = parseZohoNotification(json);
    } catch (error) {
      return rejectWith(res, context, ZOHO, 400, 'invalid notification body', (error as Error).message);
    }
    const { object, ids, operation, serverTime } = notification;
    if (!object) return acceptChanges(res, context, ZOHO, [], { ignored: ids.length, ownWrites: 0 });
    const kind = operation === 'delete' ? 'delete' : operation === 'insert' ? 'create' : 'change';
    const occurredAt = serverTime ?? Date.now();
    // A delivery too large to take is refused whole by acceptChanges: no echo check (a read per 100 ids) for it.
    const checked = kind !== 'delete' && ids.length <= MAX_CHANGES_PER_DELIVERY;
    const echoes = checked && echoFilter ? await echoFilter.echoes(object, ids) : new Set<string>();
    const changes: RecordChange[] = ids.filter((id) => !echoes.has(id)).map((id) => ({ ref: { system: ZOHO, object, id }, event: { kind, occurredAt } }));
    await acceptChanges(res, context, ZOHO, changes, { ignored: 0, ownWrites: echoes.size });
  });
  return router;
}
