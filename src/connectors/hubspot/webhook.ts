import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { REFERENCES, type CrmObject } from '../../domain/records';
import { eventRecordId } from '../event-record-id';
import { constantTimeEqual } from '../secure-compare';
import { WebhookPayloadError } from '../webhook-payload-error';

export interface HubspotSignatureInput {
  method: string;
  /** The full URI HubSpot called (scheme, host, path, query), as HubSpot signed it. */
  url: string;
  rawBody: Buffer | string;
  /** X-HubSpot-Signature-v3 */
  signatureV3: string | undefined;
  /** X-HubSpot-Request-Timestamp (epoch ms) */
  timestamp: string | undefined;
  clientSecret: string;
  now: number;
  maxAgeMs?: number;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

const MAX_AGE_MS = 300_000;

/**
 * HubSpot's v3 scheme turns these percent-escapes back into characters before signing (third-party template citing
 * "HubSpot v3 specification"; HubSpot's own table is UNCONFIRMED). Everything else stays encoded.
 */
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function v3SignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => V3_DECODED[escape.toUpperCase()] ?? escape);
}

/** base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)) */
export function hubspotSignatureV3(input: { method: string; url: string; rawBody: Buffer | string; timestamp: string; clientSecret: string }): string {
  const body = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
  return createHmac('sha256', input.clientSecret)
    .update(`${input.method.toUpperCase()}${v3SignedUri(input.url)}${body}${input.timestamp}`, 'utf8')
    .digest('base64');
}

/** Verifies X-HubSpot-Signature-v3 over the raw body, rejecting stale (replayed) or future-dated requests. */
export function verifyHubspotSignature(input: HubspotSignatureInput): SignatureVerdict {
  if (!input.signatureV3) return { ok: false, reason: 'missing X-HubSpot-Signature-v3' };
  if (!input.timestamp || !/^\d+$/.test(input.timestamp)) return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp' };
  const age = input.now - Number(input.timestamp);
  const maxAge = input.maxAgeMs ?? MAX_AGE_MS;
  if (age > maxAge) return { ok: false, reason: 'timestamp too old' };
  if (age < -maxAge) return { ok: false, reason: 'timestamp in the future' };
  const expected = hubspotSignatureV3({ ...input, timestamp: input.timestamp });
  if (!constantTimeEqual(expected, input.signatureV3)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

export type HubspotEventKind = 'create' | 'change' | 'delete' | 'association';

export interface HubspotEvent {
  objectType: CrmObject;
  objectId: string;
  eventId: string;
  subscriptionType: string;
  occurredAt: number;
  changeSource: string | null;
  sourceId: string | null;
  appId: string | null;
  propertyName?: string;
  kind: HubspotEventKind;
}

const id = z.union([z.number(), z.string().min(1)]).transform(String);

const RawEvent = z.looseObject({
  eventId: id,
  subscriptionType: z.string(),
  occurredAt: z.number(),
  objectId: eventRecordId.optional(),
  /** associationChange events name the two ends instead of objectId, and their objects in associationType. */
  fromObjectId: eventRecordId.optional(),
  toObjectId: eventRecordId.optional(),
  associationType: z.string().optional(),
  changeSource: z.string().nullish(),
  sourceId: z.string().nullish(),
  appId: id.nullish(),
  propertyName: z.string().optional(),
});

export const HubspotWebhookBody = z.array(RawEvent);

/** merge counts as a change of the surviving record, restore as a (re)creation. */
const KINDS: Record<string, HubspotEventKind> = {
  creation: 'create',
  restore: 'create',
  propertyChange: 'change',
  merge: 'change',
  deletion: 'delete',
  privacyDeletion: 'delete',
  associationChange: 'association',
};

const OBJECTS: Record<string, CrmObject> = { contact: 'contact', company: 'company', deal: 'deal' };

/** The object a subscription prefix or association end names ("deal", "DEAL"); other objects (tickets) → undefined. */
const objectNamed = (name: string | undefined): CrmObject | undefined => {
  const key = name?.toLowerCase() ?? '';
  return Object.hasOwn(OBJECTS, key) ? OBJECTS[key] : undefined;
};

/** "DEAL_TO_COMPANY" → its two ends; a suffix ("_UNLABELED", UNCONFIRMED in webhooks) names the same pair. */
const ASSOCIATION_TYPE = /^([A-Z]+)_TO_([A-Z]+?)(?:_|$)/;

type RawEvent = z.infer<typeof RawEvent>;

/**
 * The record an event is about. An association change is about the end whose reference it changed (a deal's contact
 * or company, a contact's company), whichever side's subscription delivered it, since only that record's workflow
 * reads the association; an association naming no such end stays with the subscription's own object.
 */
function subjectOf(raw: RawEvent, object: CrmObject): { objectType: CrmObject; objectId: string } | undefined {
  const [, from, to] = ASSOCIATION_TYPE.exec(raw.associationType ?? '') ?? [];
  const fromObject = objectNamed(from);
  const toObject = objectNamed(to);
  if (fromObject && toObject && raw.toObjectId !== undefined && !refersTo(fromObject, toObject) && refersTo(toObject, fromObject)) {
    return { objectType: toObject, objectId: raw.toObjectId };
  }
  const objectId = raw.objectId ?? raw.fromObjectId;
  return objectId === undefined ? undefined : { objectType: object, objectId };
}

const refersTo = (object: CrmObject, other: CrmObject): boolean => REFERENCES[object].some((reference) => reference.object === other);

/** Parses a delivery (a JSON array of events). Unknown event types are counted, not failed, so one never blocks a batch. */
export function parseHubspotEvents(json: unknown): { events: HubspotEvent[]; ignored: number } {
  const parsed = HubspotWebhookBody.safeParse(json);
  if (!parsed.success) throw new WebhookPayloadError('HubSpot webhook body', parsed.error);
  const events: HubspotEvent[] = [];
  let ignored = 0;
  for (const raw of parsed.data) {
    const [prefix = '', action = ''] = raw.subscriptionType.split('.');
    const object = objectNamed(prefix);
    // An own key only: "contact.constructor" must not find Object's
    const kind = Object.hasOwn(KINDS, action) ? KINDS[action] : undefined;
    const subject = object && kind ? subjectOf(raw, object) : undefined;
    if (!kind || !subject) {
      ignored += 1;
      continue;
    }
    events.push({
      ...subject,
      eventId: raw.eventId,
      subscriptionType: raw.subscriptionType,
      occurredAt: raw.occurredAt,
      changeSource: raw.changeSource ?? null,
      sourceId: raw.sourceId ?? null,
      appId: raw.appId ?? null,
      ...(raw.propertyName !== undefined ? { propertyName: raw.propertyName } : {}),
      kind,
    });
  }
  return { events, ignored };
}
