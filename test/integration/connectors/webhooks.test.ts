import { hubspotSignatureV3, parseHubspotEvents, verifyHubspotSignature } from '../../../src/connectors/hubspot/webhook';
import type { CrmConnector } from '../../../src/connectors/types';
import { WebhookPayloadError } from '../../../src/connectors/webhook-payload-error';
import type { ZohoConnector } from '../../../src/connectors/zoho/connector';
import { parseZohoNotification, verifyZohoChannelToken } from '../../../src/connectors/zoho/notification';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho';
import { openStore, type SyncStore } from '../../../src/store';
import { sandboxConnectors, simAdmin, startCaptureServer, unique, type CapturedRequest } from './harness';

const SECRET = 'webhook-client-secret';
const APP_ID = 4242;

function header(request: CapturedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

describe('inbound HubSpot webhooks and Zoho notifications', () => {
  let hubspotSim: HubspotSimulator;
  let zohoSim: ZohoSimulator;
  let capture: Awaited<ReturnType<typeof startCaptureServer>>;
  let store: SyncStore;
  let connectors: { hubspot: CrmConnector; zoho: ZohoConnector };

  beforeAll(async () => {
    capture = await startCaptureServer();
    [hubspotSim, zohoSim, store] = await Promise.all([
      createHubspotSimulator({ port: 0, clientId: 'cid', clientSecret: SECRET, refreshToken: 'r', appId: APP_ID, webhook: { targetUrl: `${capture.url}/webhooks/hubspot?portal=1` } }),
      createZohoSimulator({ port: 0, clientId: 'zc', clientSecret: 'zs', refreshToken: 'zr' }),
      openStore({}),
    ]);
    connectors = sandboxConnectors(store, { url: hubspotSim.url, clientId: 'cid', clientSecret: SECRET, refreshToken: 'r' }, { url: zohoSim.url, clientId: 'zc', clientSecret: 'zs', refreshToken: 'zr' });
    await Promise.all([connectors.hubspot.ensureSchema(), connectors.zoho.ensureSchema()]);
  });

  afterAll(async () => {
    await Promise.all([hubspotSim.close(), zohoSim.close(), capture.close(), store.close()]);
  });

  describe('HubSpot', () => {
    let delivery: CapturedRequest;
    let contactId: string;
    const fullUrl = (): string => `${capture.url}${delivery.url}`;

    beforeAll(async () => {
      const created = await connectors.hubspot.create('contact', { email: `${unique('hook')}@example.com`, lastName: 'Hook' }, { crossRefs: { zoho: unique('z') } });
      contactId = created.id;
      await simAdmin(hubspotSim.url).drainWebhooks();
      const found = capture.requests.find((r) => r.url.startsWith('/webhooks/hubspot'));
      if (!found) throw new Error('no HubSpot delivery captured');
      delivery = found;
    });

    const verify = (overrides: Partial<Parameters<typeof verifyHubspotSignature>[0]> = {}) =>
      verifyHubspotSignature({
        method: delivery.method,
        url: fullUrl(),
        rawBody: delivery.rawBody,
        signatureV3: header(delivery, 'X-HubSpot-Signature-v3'),
        timestamp: header(delivery, 'X-HubSpot-Request-Timestamp'),
        clientSecret: SECRET,
        now: Date.now(),
        ...overrides,
      });

    it('accepts the simulator’s real signed delivery', () => {
      expect(verify()).toEqual({ ok: true });
    });

    it('rejects a tampered body, a wrong secret, a stale or missing timestamp, another URL', () => {
      const tampered = Buffer.from(delivery.rawBody.toString('utf8').replace(contactId, `${contactId}9`));
      expect(verify({ rawBody: tampered })).toEqual({ ok: false, reason: 'signature mismatch' });
      expect(verify({ clientSecret: 'wrong' })).toEqual({ ok: false, reason: 'signature mismatch' });
      const sent = Number(header(delivery, 'X-HubSpot-Request-Timestamp'));
      expect(verify({ now: sent + 300_001 })).toEqual({ ok: false, reason: 'timestamp too old' });
      expect(verify({ now: sent + 299_000 })).toEqual({ ok: true });
      expect(verify({ timestamp: undefined }).ok).toBe(false);
      expect(verify({ signatureV3: undefined }).ok).toBe(false);
      expect(verify({ url: fullUrl().replace('portal=1', 'portal=2') }).ok).toBe(false);
    });

    it('decodes the characters HubSpot decodes before signing the URI', () => {
      const timestamp = String(Date.now());
      const signed = hubspotSignatureV3({ method: 'POST', url: 'https://x.example/hook?a=b:c@d', rawBody: '[]', timestamp, clientSecret: SECRET });
      const input = { method: 'POST', rawBody: '[]', signatureV3: signed, timestamp, clientSecret: SECRET, now: Number(timestamp) };
      expect(verifyHubspotSignature({ ...input, url: 'https://x.example/hook?a=b%3Ac%40d' })).toEqual({ ok: true });
      expect(verifyHubspotSignature({ ...input, url: 'https://x.example/hook?a=b%20c' }).ok).toBe(false);
    });

    it('parses the delivered events', () => {
      const { events, ignored } = parseHubspotEvents(JSON.parse(delivery.rawBody.toString('utf8')));
      expect(ignored).toBe(0);
      expect(events).toContainEqual(
        expect.objectContaining({ objectType: 'contact', objectId: contactId, kind: 'create', subscriptionType: 'contact.creation', appId: String(APP_ID) }),
      );
      expect(events).toContainEqual(expect.objectContaining({ objectId: contactId, kind: 'change', propertyName: 'lastname' }));
      for (const event of events) expect(typeof event.eventId).toBe('string');
    });

    it('parses association events, counts unknown types and refuses malformed bodies', () => {
      const { events, ignored } = parseHubspotEvents([
        { eventId: 7, subscriptionType: 'contact.associationChange', occurredAt: 1, fromObjectId: 11, toObjectId: 22, changeSource: 'CRM_UI' },
        { eventId: 8, subscriptionType: 'ticket.creation', occurredAt: 1, objectId: 5 },
        { eventId: 9, subscriptionType: 'company.deletion', occurredAt: 1, objectId: 6, sourceId: 'userId:1' },
        // the company's side of a contact's company change is about the contact: only it follows the association
        { eventId: 10, subscriptionType: 'company.associationChange', occurredAt: 1, associationType: 'COMPANY_TO_CONTACT', fromObjectId: 22, toObjectId: 11 },
      ]);
      expect(ignored).toBe(1);
      expect(events).toEqual([
        expect.objectContaining({ objectType: 'contact', objectId: '11', kind: 'association', eventId: '7' }),
        expect.objectContaining({ objectType: 'company', objectId: '6', kind: 'delete', sourceId: 'userId:1' }),
        expect.objectContaining({ objectType: 'contact', objectId: '11', kind: 'association', eventId: '10' }),
      ]);
      expect(() => parseHubspotEvents({ not: 'an array' })).toThrow(WebhookPayloadError);
      expect(() => parseHubspotEvents([{ eventId: 1 }])).toThrow(/subscriptionType/);
    });
  });

  describe('Zoho', () => {
    const channelToken = 'channel-token-0123456789';

    it('enables a watch channel, receives a real notification and parses it', async () => {
      const expiry = new Date(Date.now() + 24 * 3_600_000);
      const { expiresAt } = await connectors.zoho.enableWatch({
        channelId: '1000000068001',
        events: ['Contacts.all', 'Accounts.all'],
        notifyUrl: `${capture.url}/webhooks/zoho`,
        token: channelToken,
        expiry,
      });
      expect(Math.abs(Date.parse(expiresAt) - expiry.getTime())).toBeLessThan(2000);

      const created = await connectors.zoho.create('contact', { lastName: 'Notified' }, { crossRefs: { hubspot: unique('h') } });
      await simAdmin(zohoSim.url).drainWebhooks();
      const received = capture.requests.filter((r) => r.url === '/webhooks/zoho').map((r) => parseZohoNotification(JSON.parse(r.rawBody.toString('utf8'))));
      const notification = received.find((n) => n.ids.includes(created.id));
      expect(notification).toMatchObject({ object: 'contact', module: 'Contacts', operation: 'insert', channelId: '1000000068001' });
      expect(verifyZohoChannelToken(notification?.token, channelToken)).toBe(true);
      expect(verifyZohoChannelToken(notification?.token, `${channelToken}x`)).toBe(false);
      expect(verifyZohoChannelToken(undefined, channelToken)).toBe(false);

      await connectors.zoho.disableWatch('1000000068001');
      await expect(connectors.zoho.disableWatch('1000000068001')).resolves.toBeUndefined();
    });

    it('maps modules, keeps unknown ones as null and refuses malformed bodies', () => {
      const base = { ids: ['1', 2], operation: 'update', channel_id: 1000000068001, token: 't' };
      expect(parseZohoNotification({ ...base, module: 'Accounts' })).toMatchObject({ object: 'company', ids: ['1', '2'], channelId: '1000000068001' });
      expect(parseZohoNotification({ ...base, module: 'Deals' }).object).toBeNull();
      expect(() => parseZohoNotification({ module: 'Contacts' })).toThrow(WebhookPayloadError);
    });
  });
});
