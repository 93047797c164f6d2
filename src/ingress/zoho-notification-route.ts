import express, { type Request, type Response, type Router } from 'express';
import { parseZohoNotification, verifyZohoChannelToken } from '../connectors/zoho/notification';
import type { RecordChange } from '../temporal/record-signals';
import type { IngressDeps } from './ingress-deps';
import { acceptChanges, rejectWith } from './accept-changes';

export function zohoNotificationRoute(deps: IngressDeps): Router {
  const router = express.Router();
  router.post('/webhooks/zoho', express.raw({ type: () => true, limit: deps.bodyLimit }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return rejectWith(res, deps, 'zoho', 400, 'malformed JSON');
    }
    const token = typeof json === 'object' && json !== null && 'token' in json ? String(json.token) : '';
    if (!verifyZohoChannelToken(token, deps.zohoChannelToken)) return rejectWith(res, deps, 'zoho', 401, 'invalid channel token');
    let notification: ReturnType<typeof parseZohoNotification>;
    try {
      notification = parseZohoNotification(json);
    } catch (error) {
      return rejectWith(res, deps, 'zoho', 400, 'invalid notification body', (error as Error).message);
    }
    const { object, ids, operation, serverTime } = notification;
    if (!object) return acceptChanges(res, deps, 'zoho', [], { ignored: ids.length, ownWrites: 0 });
    const kind = operation === 'delete' ? 'delete' : operation === 'insert' ? 'create' : 'change';
    const occurredAt = serverTime ?? Date.now();
    const echoes = kind !== 'delete' && deps.zohoEchoFilter ? await deps.zohoEchoFilter.echoes(object, ids) : new Set<string>();
    const changes: RecordChange[] = ids.filter((id) => !echoes.has(id)).map((id) => ({ ref: { system: 'zoho', object, id }, event: { kind, occurredAt } }));
    await acceptChanges(res, deps, 'zoho', changes, { ignored: 0, ownWrites: echoes.size });
  });
  return router;
}
