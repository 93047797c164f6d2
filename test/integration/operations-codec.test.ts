import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { createDataConverter } from '../../src/codec/data-converter';
import { createEncryptionCodec, ENCODING_ENCRYPTED } from '../../src/codec/encryption-codec';
import { payloadToJson, type JsonPayload } from '../../src/codec/payload-json';
import { loadConfig } from '../../src/config';
import { syncStatusQuery } from '../../src/workflows/messages';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { keyRingText, runProcess } from '../support/child-process';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

const VALUES = { email: 'zanzibar.cipher@example.com', firstname: 'Zanzibarius', lastname: 'Quetzalcoatlus', jobtitle: 'Keeper of Secrets' };
/** A Zoho contact HubSpot refuses (one-letter top-level domain): its failure is in history too. */
const REFUSED = { Email: 'refused.cipher@example.c', First_Name: 'Ximenezia', Last_Name: 'Cholmondeley', Lead_Status: 'Hot' };

/**
 * Issue #6 point 4: record data is encrypted in workflow history (read here through clients with and without the
 * codec), the codec server decodes it for the Web UI behind the bearer token, and keys rotate through config.
 */
describe('payload encryption and the codec server', () => {
  let stack: TestStack;
  let rawClient: Client;
  let hubspotId: string;
  let workflowIds: string[];

  beforeAll(async () => {
    stack = await startTestStack({ testFile: __filename });
    rawClient = new Client({ connection: stack.client.connection, namespace: stack.config.temporal.namespace });
    const created = await hubspotAdmin(stack.hubspot.url).create('contacts', VALUES);
    hubspotId = created.id;
    const zohoRecord = await waitFor(async () => (await zohoAdmin(stack.zoho.url).records('Contacts')).find((r) => r.Email === VALUES.email), 'the contact in Zoho');
    const refused = await zohoAdmin(stack.zoho.url).create('Contacts', REFUSED);
    workflowIds = [`hubspot:contact:${hubspotId}`, `zoho:contact:${zohoRecord.id}`, `zoho:contact:${refused.id}`];
    await waitFor(async () => (await stack.client.workflow.getHandle(workflowIds[2] ?? '').query(syncStatusQuery)).status === 'failed', 'the refused contact to fail');
    // A person's edit on the Zoho side starts that record's workflow too (the echo of our own create is dropped at the
    // API), which reads the record. Its history is read once its pass is over: a pass counts from its start, and one
    // still redoing a stale write (it races the HubSpot record's echo) holds fewer payloads than a finished one.
    await zohoAdmin(stack.zoho.url).update('Contacts', zohoRecord.id, { Title: 'Codec reader' });
    await waitFor(async () => {
      const status = await stack.client.workflow.getHandle(workflowIds[1] ?? '').query(syncStatusQuery);
      return status.lastOutcome !== null && status.pendingEvents === 0;
    }, 'the Zoho workflow\'s pass over');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const rawHistory = (workflowId: string) => rawClient.workflow.getHandle(workflowId).fetchHistory();
  const valuesIn = (text: string) => Object.values(VALUES).filter((value) => text.includes(value));
  const refusedValuesIn = (text: string) => [REFUSED.Email, REFUSED.First_Name, REFUSED.Last_Name].filter((value) => text.includes(value));

  async function decodedText(payloads: Payload[], keys = stack.config.codecKeys): Promise<string> {
    const decoded = await createEncryptionCodec(keys).decode(payloads);
    return decoded.map((payload) => Buffer.from(payload.data ?? new Uint8Array(0)).toString('utf8')).join('\n');
  }

  test('raw history read without the codec holds no record values; through the codec it does', async () => {
    for (const workflowId of workflowIds) {
      const history = await rawHistory(workflowId);
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      expect(valuesIn(bytes.toString('utf8'))).toEqual([]);
      expect(valuesIn(bytes.toString('latin1'))).toEqual([]);
      expect(refusedValuesIn(bytes.toString('utf8'))).toEqual([]);

      const payloads = payloadsIn(history);
      expect(payloads.length).toBeGreaterThan(3);
      for (const payload of payloads) expect(Buffer.from(payload.metadata?.encoding ?? []).toString()).toBe(ENCODING_ENCRYPTED);
      expect(new Set(payloads.map((p) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString()))).toEqual(new Set([stack.config.codecKeys.activeKeyId]));
    }
    // The same history through the codec: the pass read the record, so its values are there.
    expect(valuesIn(await decodedText(payloadsIn(await rawHistory(workflowIds[0] ?? ''))))).toEqual(Object.values(VALUES));
    // The failed record's history (the activity failure included) holds its values only encrypted.
    expect(refusedValuesIn(await decodedText(payloadsIn(await rawHistory(workflowIds[2] ?? ''))))).toEqual([REFUSED.Email, REFUSED.First_Name, REFUSED.Last_Name]);
  });

  test('failure messages and stack traces are encrypted: raw history shows "Encoded failure", a codec client the message', async () => {
    const history = await rawHistory(workflowIds[2] ?? '');
    const failures = activityFailuresIn(history);
    expect(failures.length).toBeGreaterThan(0);
    const converter = loadDataConverter(createDataConverter(stack.config.codecKeys));
    const plainText = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('utf8');
    for (const failure of failures) {
      expect(failure).toMatchObject({ message: 'Encoded failure', stackTrace: '' });
      const error = await decodeOptionalFailureToOptionalError(converter, failure);
      const messages = errorChainMessages(error);
      // What the activity threw, through the client's own decoding path: HubSpot's refusal of the e-mail.
      expect(messages.join('\n')).toMatch(/email/i);
      for (const message of messages.filter((text) => text !== 'Encoded failure' && text.length > 0)) expect(plainText).not.toContain(message);
    }
    expect(plainText).not.toContain(REFUSED.Email);
    expect(plainText).not.toMatch(/at .+\.ts:\d+/);
  });

  describe('codec server on the API', () => {
    const uiOrigin = 'http://127.0.0.1:8233';
    let encrypted: JsonPayload[];
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${stack.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const bearer = () => ({ authorization: `Bearer ${stack.config.adminToken}` });
    const decodedValues = async (response: Response) => {
      const body = (await response.json()) as { payloads: JsonPayload[] };
      return valuesIn(body.payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n'));
    };

    beforeAll(async () => {
      encrypted = payloadsIn(await rawHistory(workflowIds[0] ?? '')).map(payloadToJson);
    });

    test('POST /codec/decode needs the bearer token and then decodes what the Web UI sends', async () => {
      expect((await post('/codec/decode', { payloads: encrypted })).status).toBe(401);
      expect((await post('/codec/decode', { payloads: encrypted }, { authorization: 'Bearer wrong-token' })).status).toBe(401);
      const response = await post('/codec/decode', { payloads: encrypted }, { ...bearer(), 'x-namespace': stack.config.temporal.namespace, origin: uiOrigin });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
      expect(await decodedValues(response)).toEqual(Object.values(VALUES));
    });

    test('POST /codec/decode opens a failure\'s encoded attributes, as the Web UI asks for them', async () => {
      const history = await rawHistory(workflowIds[2] ?? '');
      const attributes = activityFailuresIn(history)[0]?.encodedAttributes;
      if (!attributes) throw new Error('the failed activity has no encoded attributes');
      const response = await post('/codec/decode', { payloads: [payloadToJson(attributes)] }, bearer());
      expect(response.status).toBe(200);
      const body = (await response.json()) as { payloads: JsonPayload[] };
      const decoded = JSON.parse(Buffer.from(body.payloads[0]?.data ?? '', 'base64').toString('utf8')) as { message: string; stack_trace: string };
      expect(decoded.message.length).toBeGreaterThan(0);
      expect(decoded.message).not.toBe('Encoded failure');
    });

    test('POST /codec/encode encrypts with the active key, and decode reverses it', async () => {
      const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(VALUES)).toString('base64') };
      const encoded = (await (await post('/codec/encode', { payloads: [plain] }, bearer())).json()) as { payloads: JsonPayload[] };
      const sealed = encoded.payloads[0];
      expect(Buffer.from(sealed?.metadata?.['encryption-key-id'] ?? '', 'base64').toString()).toBe(stack.config.codecKeys.activeKeyId);
      expect(valuesIn(Buffer.from(sealed?.data ?? '', 'base64').toString('latin1'))).toEqual([]);
      expect(await decodedValues(await post('/codec/decode', encoded, bearer()))).toEqual(Object.values(VALUES));
    });

    test('the Temporal CLI reads decoded history through it (--codec-endpoint, --codec-auth)', async () => {
      const temporalCli = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
      if (!temporalCli) throw new Error('the Temporal CLI is needed (TEMPORAL_CLI_PATH or `temporal` on PATH)');
      const show = (...extra: string[]) =>
        runProcess(temporalCli, ['workflow', 'show', '--address', stack.config.temporal.address ?? '', '--namespace', stack.config.temporal.namespace, '--workflow-id', workflowIds[0] ?? '', '--output', 'json', ...extra], {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
        });
      const [plain, decoded] = await Promise.all([show(), show('--codec-endpoint', `${stack.apiUrl}/codec`, '--codec-auth', `Bearer ${stack.config.adminToken}`)]);
      // JSON output shows each payload's data in base64: decode them all.
      const payloadText = (stdout: string) => [...stdout.matchAll(/"data": "([A-Za-z0-9+/=]*)"/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('utf8')).join('\n');
      expect(plain.code).toBe(0);
      expect(valuesIn(payloadText(plain.stdout))).toEqual([]);
      expect(decoded.code).toBe(0);
      expect(valuesIn(payloadText(decoded.stdout))).toEqual(Object.values(VALUES));
    });

    test('CORS preflight answers the Web UI origin only', async () => {
      const preflight = (path: string, origin: string) =>
        fetch(`${stack.apiUrl}${path}`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
        });
      const allowed = await preflight('/codec/decode', uiOrigin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(uiOrigin);
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
      expect(allowed.headers.get('access-control-allow-headers')?.split(/,\s*/).sort()).toEqual(['authorization', 'content-type', 'x-namespace']);
      const refused = await preflight('/codec/decode', 'http://evil.example');
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(`/codec/ui/${stack.config.adminToken}/decode`, uiOrigin)).status).toBe(204);
    });

    test('/codec/ui/<token>/decode serves a Web UI that cannot send headers (the dev server’s --ui-codec-endpoint)', async () => {
      const response = await post(`/codec/ui/${encodeURIComponent(stack.config.adminToken)}/decode`, { payloads: encrypted }, { origin: uiOrigin });
      expect(response.status).toBe(200);
      expect(await decodedValues(response)).toEqual(Object.values(VALUES));
      expect((await post('/codec/ui/not-the-token/decode', { payloads: encrypted })).status).toBe(401);
    });
  });

  test('key rotation through CODEC_KEYS: a new key encrypts, histories written with the old key stay readable', async () => {
    const oldKeys = stack.config.codecKeys;
    const rotated = loadConfig({
      PATH: process.env.PATH,
      DATA_DIR: stack.config.dataDir,
      CRM_SANDBOX: 'true',
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
      HUBSPOT_BASE_URL: stack.hubspot.url,
      ZOHO_API_BASE_URL: stack.zoho.url,
      ZOHO_ACCOUNTS_URL: stack.zoho.url,
      API_PORT: String(stack.config.api.port),
      CODEC_KEYS: `k2:${randomBytes(32).toString('base64')},${keyRingText(oldKeys)}`,
    });
    expect(rotated.codecKeys.activeKeyId).toBe('k2');
    // The worker restarts on the new ring; the API still encrypts with the old key (a rolling deploy).
    await stack.restartWorker(rotated);
    const workflowId = workflowIds[0] ?? '';
    await hubspotAdmin(stack.hubspot.url).update('contacts', hubspotId, { jobtitle: 'Rotated Keeper' });
    await waitFor(async () => (await zohoAdmin(stack.zoho.url).records('Contacts')).some((r) => r.Title === 'Rotated Keeper'), 'the edit in Zoho');

    const keyIdsOf = (payloads: Payload[]) => new Set(payloads.map((p) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString()));
    // The calls' results reach history with the workflow task that made them, which may end after Zoho has the edit.
    const payloads = await waitFor(async () => {
      const found = payloadsIn(await rawHistory(workflowId));
      return keyIdsOf(found).has('k2') ? found : null;
    }, 'the pass of the edit in history');
    expect(keyIdsOf(payloads)).toEqual(new Set([oldKeys.activeKeyId, 'k2']));
    // The rotated ring reads the whole history; the old ring alone cannot read what k2 wrote.
    expect(await decodedText(payloads, rotated.codecKeys)).toContain('Rotated Keeper');
    await expect(decodedText(payloads, oldKeys)).rejects.toThrow(/key id "k2"/);
    const rotatedClient = new Client({ connection: stack.client.connection, namespace: stack.config.temporal.namespace, dataConverter: createDataConverter(rotated.codecKeys) });
    expect((await rotatedClient.workflow.getHandle(workflowId).query(syncStatusQuery)).status).toBe('ok');
  });
});

/** The message of an error and of each of its causes. */
function errorChainMessages(error: unknown): string[] {
  const messages: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages;
}

/**
 * Every Payload in a history except what the server and the SDK core write for themselves: search attributes
 * (indexed by the server, so never encrypted; ids and states only) and the core's bookkeeping entry of each
 * local-activity marker (`details.data`: sequence number, activity type, times) and of each `patched()` marker
 * (`details.patch-data`: the patch's name). The local-activity markers' results are ours.
 */
function payloadsIn(value: unknown, found: Payload[] = [], parentKey = ''): Payload[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if ('data' in value && value.data instanceof Uint8Array && 'metadata' in value) {
    found.push(value as Payload);
    return found;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === 'searchAttributes' || (parentKey === 'details' && (key === 'data' || key === 'patch-data'))) continue;
    payloadsIn(child, found, key);
  }
  return found;
}

/** What the record's activities failed with: a live pass's CRM calls are local activities, recorded in markers. */
function activityFailuresIn(history: temporal.api.history.v1.IHistory): temporal.api.failure.v1.IFailure[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskFailedEventAttributes?.failure ?? event.markerRecordedEventAttributes?.failure ?? []);
}
