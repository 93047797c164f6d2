import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import express from 'express';
import { createCodecRouter } from '../../../src/codec/codec-server';
import { createEncryptionCodec } from '../../../src/codec/encryption-codec';
import { payloadToJson, type JsonPayload } from '../../../src/codec/payload-json';
import { listen, type RunningServer } from '../../../src/sandbox/common/http-server';

const TOKEN = 'codec-test-token';
const UI_ORIGIN = 'http://localhost:8233';
const codec = createEncryptionCodec({ activeKeyId: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
const contact = { email: 'grace.hopper@example.org', lastname: 'Hopper' };

let server: RunningServer;

beforeAll(async () => {
  const app = express();
  app.use(createCodecRouter({ codec, bearerToken: TOKEN, allowedOrigins: [UI_ORIGIN] }));
  server = await listen(app, '127.0.0.1', 0);
});

afterAll(async () => {
  await server.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };

async function payloadsOf(response: Response): Promise<JsonPayload[]> {
  const body = (await response.json()) as { payloads: JsonPayload[] };
  return body.payloads;
}

describe('codec router', () => {
  const plain = { payloads: [payloadToJson(defaultPayloadConverter.toPayload(contact))] };

  it('answers 401 JSON without a token or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const response = await post('/codec/decode', plain, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.stringMatching(/bearer token/) });
    }
  });

  it('answers a CORS preflight from an allowed origin without auth', async () => {
    const response = await fetch(`${server.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['x-namespace', 'content-type', 'authorization']));
  });

  it('refuses a preflight from another origin and never echoes it', async () => {
    const response = await fetch(`${server.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('encodes and decodes over HTTP in the Web UI wire shape, with CORS headers on the answer', async () => {
    const encodedResponse = await post('/codec/encode', plain, { ...auth, origin: UI_ORIGIN });
    expect(encodedResponse.status).toBe(200);
    expect(encodedResponse.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const encoded = await payloadsOf(encodedResponse);
    const [first] = encoded;
    expect(Buffer.from(first?.metadata?.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(first?.data ?? '', 'base64').includes(Buffer.from(contact.email))).toBe(false);

    const decoded = await payloadsOf(await post('/codec/decode', { payloads: encoded }, auth));
    expect(decoded).toEqual(plain.payloads);
    const data = Buffer.from(decoded[0]?.data ?? '', 'base64').toString();
    expect(JSON.parse(data)).toEqual(contact);
  });

  it('answers an empty body ({}, what `temporal workflow query` sends without arguments) with no payloads', async () => {
    const response = await post('/codec/decode', {}, auth);
    expect(response.status).toBe(200);
    expect(await payloadsOf(response)).toEqual([]);
  });

  it('answers 400 for a body that is not the payloads shape or not JSON', async () => {
    expect((await post('/codec/decode', { nope: true }, auth)).status).toBe(400);
    expect((await post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, auth)).status).toBe(400);
    const malformed = await fetch(`${server.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: '{"payloads": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: expect.any(String) });
  });

  it('answers 422 naming the key when a payload was encrypted with an unknown key', async () => {
    const other = createEncryptionCodec({ activeKeyId: 'k7', keys: { k7: randomBytes(32).toString('base64') } });
    const [foreign] = await other.encode([defaultPayloadConverter.toPayload(contact)]);
    const response = await post('/codec/decode', { payloads: [payloadToJson(foreign ?? {})] }, auth);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ error: expect.stringContaining('"k7"') });
  });
});
