import express, { type Request, type Response, type Router } from 'express';
import { parseHubspotEvents, verifyHubspotSignature } from '../../connectors/hubspot/webhook';
import { HUBSPOT } from '../../connectors/hubspot/snapshot';
import { acceptChanges, rejectWith, type DeliveredChange } from '../../ingress/accept-changes';
import type { IngressContext } from '../types';

/** Events caused by our own writes (the app's own id as source) would only echo back: drop them here. */
const OWN_WRITE_SOURCES = new Set(['INTEGRATION', 'API']);

export function hubspotWebhookRoute(context: IngressContext): Router {
  const { clientSecret, appId } = context.config.hubspot;
  const router = express.Router();
  router.post('/', express.raw({ type: () => true, limit: context.bodyLimit }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyHubspotSignature({
      method: req.method,
      url: `${context.publicUrl}${req.originalUrl}`,
      rawBody,
      signatureV3: req.header('x-hubspot-signature-v3') ?? '',
      timestamp: req.header('x-hubspot-request-timestamp') ?? '',
      clientSecret,
      now: Date.now(),
    });
    if (!verdict.ok) return rejectWith(res, context, HUBSPOT, 401, 'invalid signature', verdict.reason);

    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return rejectWith(res, context, HUBSPOT, 400, 'malformed JSON');
    }
    let parsed: ReturnType<typeof parseHubspotEvents>;
    try {
      parsed = parseHubspotEvents(json);
    } catch (error) {
      return rejectWith(res, context, HUBSPOT, 400, 'invalid webhook body', (error as Error).message);
    }

    const changes: DeliveredChange[] = [];
    let ownWrites = 0;
    for (const event of parsed.events) {
      if (OWN_WRITE_SOURCES.has(event.changeSource ?? '') && event.sourceId === appId) {
        ownWrites++;
        continue;
      }
      changes.push({
        ref: { system: HUBSPOT, object: event.objectType, id: event.objectId },
        event: { kind: event.kind, occurredAt: event.occurredAt, eventId: String(event.eventId) },
        author: `${event.changeSource ?? ''} ${event.sourceId ?? ''}`,
      });
    }
    await acceptChanges(res, context, HUBSPOT, changes, { ignored: parsed.ignored, ownWrites });
  });
  return router;
}
