import express, { type Request, type Response, type Router } from 'express';
import { parseHubspotEvents, verifyHubspotSignature } from '../connectors/hubspot/webhook';
import type { RecordChange } from '../temporal/record-signals';
import type { IngressDeps } from './ingress-deps';
import { acceptChanges, rejectWith } from './accept-changes';

/** Events caused by our own writes (the app's own id as source) would only echo back: drop them here. */
const OWN_WRITE_SOURCES = new Set(['INTEGRATION', 'API']);

export function hubspotWebhookRoute(deps: IngressDeps): Router {
  const router = express.Router();
  router.post('/webhooks/hubspot', express.raw({ type: () => true, limit: deps.bodyLimit }), async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyHubspotSignature({
      method: req.method,
      url: `${deps.publicUrl}${req.originalUrl}`,
      rawBody,
      signatureV3: req.header('x-hubspot-signature-v3') ?? '',
      timestamp: req.header('x-hubspot-request-timestamp') ?? '',
      clientSecret: deps.hubspotClientSecret,
      now: Date.now(),
    });
    if (!verdict.ok) return rejectWith(res, deps, 'hubspot', 401, 'invalid signature', verdict.reason);

    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return rejectWith(res, deps, 'hubspot', 400, 'malformed JSON');
    }
    let parsed: ReturnType<typeof parseHubspotEvents>;
    try {
      parsed = parseHubspotEvents(json);
    } catch (error) {
      return rejectWith(res, deps, 'hubspot', 400, 'invalid webhook body', (error as Error).message);
    }

    const changes: RecordChange[] = [];
    let ownWrites = 0;
    for (const event of parsed.events) {
      if (OWN_WRITE_SOURCES.has(event.changeSource ?? '') && event.sourceId === deps.hubspotAppId) {
        ownWrites++;
        continue;
      }
      changes.push({
        ref: { system: 'hubspot', object: event.objectType, id: event.objectId },
        event: { kind: event.kind, occurredAt: event.occurredAt, eventId: String(event.eventId) },
      });
    }
    await acceptChanges(res, deps, 'hubspot', changes, { ignored: parsed.ignored, ownWrites });
  });
  return router;
}
