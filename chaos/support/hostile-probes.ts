import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { signedHubspotHeaders } from '../../bench/support/hubspot-webhook';

/** What a hostile caller aims at: the API, and the secrets a legitimate sender holds (to get past the first check). */
export interface HostileTarget {
  apiUrl: string;
  /** the URL HubSpot signs (the API's public URL) */
  publicUrl: string;
  hubspotSecret: string;
  zohoChannelToken: string;
  zohoChannelId: string;
  adminToken: string;
}

export interface ProbeOutcome {
  name: string;
  status: number;
  /** the answer's `error` field, when it was JSON */
  reason: string | null;
}

interface HttpProbe {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface RawProbe {
  name: string;
  /** the request as bytes on the wire, for what fetch refuses to send (CRLF in headers, conflicting lengths) */
  raw: Buffer;
}

const HUBSPOT = '/webhooks/hubspot';
const ZOHO = '/webhooks/zoho';
const MINUTE = 60_000;

function hubspotEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventId: 1, subscriptionId: 1003, portalId: 62515, appId: 1001, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 90_000_001, propertyName: 'firstname', propertyValue: 'x', changeSource: 'CRM_UI', sourceId: 'userId:1', ...overrides };
}

let gzipBomb: Buffer | undefined;

/** 100 MB of zeros in about 100 KB, made once: compressing it costs the harness a second each time. */
function bomb(): Buffer {
  gzipBomb ??= gzipSync(Buffer.alloc(100 * 1024 * 1024));
  return gzipBomb;
}

/** A deeply nested JSON array: `[[[…]]]` */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** Every probe at the HubSpot webhook: the signature checks first, then what a holder of the secret could send. */
function hubspotProbes(target: HostileTarget): HttpProbe[] {
  const signedUri = `${target.publicUrl}${HUBSPOT}`;
  const signed = (name: string, body: string | Buffer, extra: Record<string, string> = {}, timestamp = Date.now()): HttpProbe => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    return {
      name: `hubspot: ${name}`,
      method: 'POST',
      path: HUBSPOT,
      headers: { ...signedHubspotHeaders(target.hubspotSecret, signedUri, text, timestamp), ...extra },
      body: Buffer.from(body),
    };
  };
  const one = JSON.stringify([hubspotEvent()]);
  const longId = '9'.repeat(5_000);
  return [
    { name: 'hubspot: no signature', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json' }, body: Buffer.from(one) },
    { name: 'hubspot: wrong signature', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': String(Date.now()), 'x-hubspot-signature-v3': 'AAAA' }, body: Buffer.from(one) },
    { ...signed('x', '[]'), name: 'hubspot: signature of another body', body: Buffer.from(one) },
    signed('replayed timestamp (10 min old)', one, {}, Date.now() - 10 * MINUTE),
    signed('timestamp 10 min ahead', one, {}, Date.now() + 10 * MINUTE),
    { name: 'hubspot: timestamp not a number', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': '1e400', 'x-hubspot-signature-v3': 'AAAA' }, body: Buffer.from(one) },
    { name: 'hubspot: timestamp of 400 digits', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': '9'.repeat(400), 'x-hubspot-signature-v3': 'AAAA' }, body: Buffer.from(one) },
    signed('malformed JSON', '[{"eventId":1,'),
    signed('empty body', ''),
    signed('JSON null', 'null'),
    signed('JSON object instead of array', '{"eventId":1}'),
    signed('JSON string', '"hello"'),
    signed('nesting 100,000 deep', nested(100_000)),
    signed('events of the wrong types', JSON.stringify([hubspotEvent({ objectId: { $gt: 1 }, occurredAt: 'yesterday' })])),
    signed('unknown subscription type', JSON.stringify([hubspotEvent({ subscriptionType: 'ticket.creation' })])),
    signed('subscription types naming Object\'s own keys', JSON.stringify([hubspotEvent({ subscriptionType: 'contact.constructor' }), hubspotEvent({ subscriptionType: '__proto__.toString' }), hubspotEvent({ subscriptionType: 'constructor.propertyChange' })])),
    signed('batch of 8,000 events (distinct records, under the body limit)', JSON.stringify(Array.from({ length: 8_000 }, (_, i) => ({ eventId: i, subscriptionType: 'contact.propertyChange', occurredAt: 1, objectId: 93_000_000 + i })))),
    signed('objectId of 5,000 digits', JSON.stringify([hubspotEvent({ objectId: longId })])),
    signed('objectId with path and control characters', JSON.stringify([hubspotEvent({ objectId: '../../\u0000\u001b[31m\u202e' })])),
    signed('objectId of unicode', JSON.stringify([hubspotEvent({ objectId: '👩‍💻𝕏\uFFFF' })])),
    signed('objectId negative, fractional, huge', JSON.stringify([hubspotEvent({ objectId: -1 }), hubspotEvent({ objectId: 1.5 }), hubspotEvent({ objectId: 1e308 })])),
    signed('occurredAt out of range', JSON.stringify([hubspotEvent({ occurredAt: 1e308 }), hubspotEvent({ occurredAt: -1e15 })])),
    signed('eventId of 5,000 digits', JSON.stringify([hubspotEvent({ eventId: longId })])),
    signed('association with huge ends', JSON.stringify([hubspotEvent({ subscriptionType: 'contact.associationChange', objectId: undefined, fromObjectId: longId, toObjectId: longId, associationType: 'CONTACT_TO_COMPANY' })])),
    signed('property value of control characters', JSON.stringify([hubspotEvent({ propertyValue: '\u0000\u0007\r\n\u2028' })])),
    signed('prototype pollution keys', '[{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"eventId":1,"subscriptionType":"contact.propertyChange","occurredAt":1,"objectId":"__proto__"}]'),
    signed('batch of 20,000 events (distinct records)', JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ eventId: i, subscriptionType: 'contact.propertyChange', occurredAt: Date.now(), objectId: 91_000_000 + i })))),
    signed('text/plain content type', one, { 'content-type': 'text/plain' }),
    signed('no content type', one, { 'content-type': '' }),
    signed('application/xml content type', one, { 'content-type': 'application/xml' }),
    signed('charset the parser does not know', one, { 'content-type': 'application/json; charset=utf-42' }),
    { name: 'hubspot: body of 5 MB', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(5 * 1024 * 1024, 0x20) },
    { name: 'hubspot: gzip that is not gzip', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') },
    { name: 'hubspot: gzip bomb (100 MB of zeros)', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb() },
    { name: 'hubspot: unknown content encoding', method: 'POST', path: HUBSPOT, headers: { 'content-type': 'application/json', 'content-encoding': 'x-snappy' }, body: Buffer.from(one) },
    { name: 'hubspot: query string', method: 'POST', path: `${HUBSPOT}?a=%ZZ&b[]=1&b[]=2`, headers: { 'content-type': 'application/json' }, body: Buffer.from(one) },
    { name: 'hubspot: path with bad escapes', method: 'POST', path: `${HUBSPOT}/%E0%A4%A`, headers: { 'content-type': 'application/json' }, body: Buffer.from(one) },
  ];
}

function zohoProbes(target: HostileTarget): HttpProbe[] {
  const body = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify({ module: 'Contacts', ids: ['90000001'], operation: 'update', channel_id: target.zohoChannelId, token: target.zohoChannelToken, server_time: Date.now(), ...fields }));
  const post = (name: string, payload: Buffer | string, headers: Record<string, string> = { 'content-type': 'application/json' }): HttpProbe => ({ name: `zoho: ${name}`, method: 'POST', path: ZOHO, headers, body: Buffer.from(payload) });
  return [
    post('no token', body({ token: undefined })),
    post('wrong token', body({ token: 'not-the-channel-token' })),
    post('token as an object', body({ token: { toString: 'x' } })),
    post('token of 1 MB', body({ token: 'x'.repeat(900_000) })),
    post('malformed JSON', '{"module":'),
    post('JSON null', 'null'),
    post('JSON array', '[1,2,3]'),
    post('nesting 100,000 deep', nested(100_000)),
    post('ids not a list', body({ ids: 'all' })),
    post('unknown module', body({ module: 'Deals; DROP TABLE links' })),
    post('module of prototype keys', body({ module: '__proto__' })),
    post('module "constructor"', body({ module: 'constructor' })),
    post('id of 5,000 digits', body({ ids: ['9'.repeat(5_000)] })),
    post('ids of control characters and unicode', body({ ids: ['\u0000', '../..', '👩‍💻', '\u202e'] })),
    post('50,000 ids', body({ ids: Array.from({ length: 50_000 }, (_, i) => String(92_000_000 + i)) })),
    post('server_time out of range', body({ server_time: 1e308 })),
    post('server_time negative', body({ server_time: -1e15 })),
    post('unknown operation', body({ operation: 'explode' })),
    post('no content type', body({}), {}),
    post('text/plain content type', body({}), { 'content-type': 'text/plain' }),
    post('form-encoded body', 'module=Contacts&ids=1', { 'content-type': 'application/x-www-form-urlencoded' }),
    post('body of 5 MB', Buffer.alloc(5 * 1024 * 1024, 0x20)),
  ];
}

function adminProbes(target: HostileTarget): HttpProbe[] {
  const json = { 'content-type': 'application/json' };
  const bearer = { ...json, authorization: `Bearer ${target.adminToken}` };
  const payloads = (value: unknown) => Buffer.from(JSON.stringify(value));
  return [
    { name: 'codec: decode without a token', method: 'POST', path: '/codec/decode', headers: json, body: payloads({ payloads: [] }) },
    { name: 'codec: decode with a wrong token', method: 'POST', path: '/codec/decode', headers: { ...json, authorization: 'Bearer wrong' }, body: payloads({ payloads: [] }) },
    { name: 'codec: token of 100 KB', method: 'POST', path: '/codec/decode', headers: { ...json, authorization: `Bearer ${'x'.repeat(100_000)}` }, body: payloads({ payloads: [] }) },
    { name: 'codec: Basic instead of Bearer', method: 'POST', path: '/codec/encode', headers: { ...json, authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, body: payloads({ payloads: [] }) },
    { name: 'codec: malformed JSON', method: 'POST', path: '/codec/decode', headers: bearer, body: Buffer.from('{"payloads":') },
    { name: 'codec: payloads of the wrong shape', method: 'POST', path: '/codec/decode', headers: bearer, body: payloads({ payloads: [{ metadata: 5, data: {} }] }) },
    { name: 'codec: data not base64', method: 'POST', path: '/codec/decode', headers: bearer, body: payloads({ payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: '***' }] }) },
    { name: 'codec: encrypted payload of an unknown key', method: 'POST', path: '/codec/decode', headers: bearer, body: payloads({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('nokey').toString('base64') }, data: Buffer.from('junk').toString('base64') }] }) },
    { name: 'codec: encrypted payload, truncated', method: 'POST', path: '/codec/decode', headers: bearer, body: payloads({ payloads: [{ metadata: { encoding: Buffer.from('binary/encrypted').toString('base64') }, data: 'AA==' }] }) },
    { name: 'codec: nesting 100,000 deep', method: 'POST', path: '/codec/decode', headers: bearer, body: Buffer.from(`{"payloads":${nested(100_000)}}`) },
    { name: 'codec: 20,000 payloads to encode', method: 'POST', path: '/codec/encode', headers: bearer, body: payloads({ payloads: Array.from({ length: 20_000 }, () => ({ metadata: {}, data: 'AA==' })) }) },
    { name: 'codec: text/plain body', method: 'POST', path: '/codec/decode', headers: { ...bearer, 'content-type': 'text/plain' }, body: Buffer.from('{}') },
    { name: 'codec: charset the parser does not know', method: 'POST', path: '/codec/decode', headers: { ...bearer, 'content-type': 'application/json; charset=utf-42' }, body: Buffer.from('{}') },
    { name: 'codec: body of 20 MB', method: 'POST', path: '/codec/decode', headers: bearer, body: Buffer.alloc(20 * 1024 * 1024, 0x20) },
    { name: 'codec ui: wrong token in the path', method: 'POST', path: '/codec/ui/wrong/decode', headers: json, body: payloads({ payloads: [] }) },
    { name: 'codec ui: bad escape in the path', method: 'POST', path: '/codec/ui/%ZZ/decode', headers: json, body: payloads({ payloads: [] }) },
    { name: 'codec ui: token path with traversal', method: 'POST', path: '/codec/ui/..%2F..%2Fmetrics/decode', headers: json, body: payloads({ payloads: [] }) },
    { name: 'codec: preflight from an unknown origin', method: 'OPTIONS', path: '/codec/decode', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } },
    { name: 'codec: GET', method: 'GET', path: '/codec/decode', headers: bearer },
    { name: 'metrics: without a token', method: 'GET', path: '/metrics', headers: {} },
    { name: 'metrics: wrong token', method: 'GET', path: '/metrics', headers: { authorization: 'Bearer wrong' } },
    { name: 'metrics: "Bearer" alone', method: 'GET', path: '/metrics', headers: { authorization: 'Bearer' } },
    { name: 'metrics: POST', method: 'POST', path: '/metrics', headers: bearer, body: payloads({}) },
  ];
}

function methodProbes(): HttpProbe[] {
  const wrong: [string, string[]][] = [
    [HUBSPOT, ['GET', 'PUT', 'DELETE', 'PATCH']],
    [ZOHO, ['GET', 'PUT', 'DELETE', 'PATCH']],
    ['/codec/encode', ['GET', 'PUT', 'DELETE', 'PATCH']],
    ['/healthz', ['POST', 'PUT', 'DELETE', 'PATCH']],
    ['/readyz', ['POST', 'PUT', 'DELETE', 'PATCH']],
  ];
  return wrong.flatMap(([path, methods]) => methods.map((method) => ({ name: `wrong method: ${method} ${path}`, method, path, headers: {} })));
}

/** Requests fetch will not send: header injection, smuggling, oversized and malformed header blocks. */
function rawProbes(target: HostileTarget): RawProbe[] {
  const host = new URL(target.apiUrl).host;
  const request = (lines: string[], body = '') => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
  const body = '[]';
  return [
    { name: 'raw: CR/LF injected into a header value', raw: request([`POST ${HUBSPOT} HTTP/1.1`, `Host: ${host}`, 'X-HubSpot-Signature-v3: a\rSet-Cookie: x=1', `Content-Length: ${body.length}`, 'Connection: close'], body) },
    { name: 'raw: conflicting Content-Length headers', raw: request([`POST ${HUBSPOT} HTTP/1.1`, `Host: ${host}`, 'Content-Length: 2', 'Content-Length: 40', 'Connection: close'], body) },
    { name: 'raw: Content-Length and chunked together (smuggling)', raw: request([`POST ${ZOHO} HTTP/1.1`, `Host: ${host}`, 'Content-Length: 4', 'Transfer-Encoding: chunked', 'Connection: close'], '0\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n') },
    { name: 'raw: header block of 64 KB', raw: request([`POST ${HUBSPOT} HTTP/1.1`, `Host: ${host}`, `X-Pad: ${'a'.repeat(64 * 1024)}`, `Content-Length: ${body.length}`, 'Connection: close'], body) },
    { name: 'raw: NUL and 8-bit bytes in a header', raw: request([`POST ${ZOHO} HTTP/1.1`, `Host: ${host}`, 'X-Odd: \u0000\u00ff\u00fe', 'Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close'], body) },
    { name: 'raw: not HTTP at all', raw: Buffer.from('\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003 TLS hello to a plain port\r\n\r\n', 'latin1') },
    { name: 'raw: chunked body that never ends properly', raw: request([`POST ${HUBSPOT} HTTP/1.1`, `Host: ${host}`, 'Transfer-Encoding: chunked', 'Connection: close'], 'zz\r\nnot hex\r\n') },
  ];
}

async function sendHttp(target: HostileTarget, probe: HttpProbe): Promise<ProbeOutcome> {
  try {
    const response = await fetch(`${target.apiUrl}${probe.path}`, { method: probe.method, headers: probe.headers, body: probe.body, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    return { name: probe.name, status: response.status, reason: reasonOf(text) };
  } catch (error) {
    // The server may close the socket on a body it refuses before reading it all: no status at all, not a 5xx.
    return { name: probe.name, status: 0, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

function sendRaw(target: HostileTarget, probe: RawProbe): Promise<ProbeOutcome> {
  const url = new URL(target.apiUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let answer = '';
    const done = () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve({ name: probe.name, status: status ? Number(status[1]) : 0, reason: status ? reasonOf(answer.slice(answer.indexOf('\r\n\r\n') + 4)) : 'connection closed without an answer' });
    };
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.end(probe.raw);
  });
}

function reasonOf(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && 'error' in parsed ? String(parsed.error) : null;
  } catch {
    return null;
  }
}

/** Sends every probe one after another (a hostile caller's pace is not the point; its answers are). */
export async function runHostileProbes(target: HostileTarget): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const probe of [...hubspotProbes(target), ...zohoProbes(target), ...adminProbes(target), ...methodProbes()]) outcomes.push(await sendHttp(target, probe));
  for (const probe of rawProbes(target)) outcomes.push(await sendRaw(target, probe));
  return outcomes;
}
