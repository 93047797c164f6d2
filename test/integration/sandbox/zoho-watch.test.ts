import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ZOHO_OPTIONS, type ZohoCallback } from '../../../src/sandbox/zoho';
import { type ZohoHarness, startZoho } from './zoho-test-client';

/** A real HTTP receiver, as the connector's webhook endpoint would be. */
class Receiver {
  readonly callbacks: ZohoCallback[] = [];
  /** Status codes to answer, consumed one per request; 200 once empty. */
  readonly script: number[] = [];
  attempts = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    const app = express();
    app.use(express.json());
    app.post('/zoho/callback', (req, res) => {
      this.attempts += 1;
      const status = this.script.shift() ?? 200;
      if (status === 200) this.callbacks.push(req.body as ZohoCallback);
      res.status(status).end();
    });
    await new Promise<void>((resolve) => {
      this.server = app.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/zoho/callback?key1=val1`;
  }

  clear(): void {
    this.callbacks.length = 0;
    this.script.length = 0;
    this.attempts = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new Receiver();
let z: ZohoHarness;

beforeAll(async () => {
  await receiver.start();
  z = await startZoho({ searchIndexDelayMs: 0, notifyBatchMs: 30, notifyRetryBaseMs: 20 });
});
afterAll(async () => {
  await z.sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await z.root.post('/_sim/reset');
  await z.root.post('/_sim/stats/reset');
  receiver.clear();
});

const drain = async (): Promise<void> => {
  expect((await z.root.post('/_sim/webhooks/drain')).status).toBe(204);
};

async function subscribe(extra: Record<string, unknown> = {}): Promise<void> {
  const res = await z.api.post('/actions/watch', {
    watch: [{ channel_id: '1000000068001', events: ['Contacts.all', 'Accounts.edit'], notify_url: receiver.url, token: 'TOKEN_FOR_VERIFICATION', ...extra }],
  });
  expect(res.status).toBe(201);
}

describe('watch channels', () => {
  it('subscribes with the documented response and a 1 hour default expiry', async () => {
    const before = Date.now();
    const res = await z.api.post('/actions/watch', {
      watch: [{ channel_id: 1000000068001, events: ['Contacts.all'], notify_url: receiver.url, channel_expiry: new Date(Date.now() + 30 * 86_400_000).toISOString() }],
    });
    expect(res.status).toBe(201);
    const item = res.data.watch[0];
    expect(item).toMatchObject({ code: 'SUCCESS', status: 'success', message: 'Successfully subscribed for actions-watch of the given module' });
    const [event] = item.details.events;
    expect(event).toEqual({ channel_expiry: expect.any(String), resource_uri: `${z.sim.url}/crm/v8/Contacts`, resource_id: expect.any(String), resource_name: 'Contacts', channel_id: '1000000068001' });
    const expiry = Date.parse(String(event.channel_expiry));
    expect(expiry).toBeGreaterThanOrEqual(before + 3_600_000 - 2000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);

    const listed = await z.api.get('/actions/watch');
    expect(listed.status).toBe(200);
    expect(listed.data.watch[0]).toMatchObject({ channel_id: '1000000068001', events: ['Contacts.all'], notify_url: receiver.url, resource_name: 'Contacts' });
    const missing = await z.api.post('/actions/watch', { watch: [{ channel_id: '2', events: ['Contacts.all'] }] });
    expect(missing.status).toBe(400);
    expect(missing.data.watch[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'notify_url' } });
  });

  it('posts the real callback body for API inserts, updates and deletes, batching ids', async () => {
    await subscribe({ return_affected_field_values: true });
    const created = await z.api.post<{ data: Array<{ details: { id: string } }> }>('/Contacts', { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] });
    const [a, b] = created.data.data.map((d) => d.details.id);
    await drain();
    expect(receiver.callbacks).toHaveLength(1);
    expect(receiver.callbacks[0]).toEqual({
      server_time: expect.any(Number),
      query_params: { key1: 'val1' },
      module: 'Contacts',
      resource_uri: `${z.sim.url}/crm/v8/Contacts`,
      ids: [a, b],
      affected_fields: [],
      operation: 'insert',
      channel_id: '1000000068001',
      token: 'TOKEN_FOR_VERIFICATION',
      affected_values: expect.any(Array),
    });
    receiver.clear();
    await z.api.put('/Contacts', { data: [{ id: a, Email: 'a@x.com' }] });
    await z.api.delete('/Contacts', { params: { ids: b } });
    await drain();
    expect(receiver.callbacks.map((c) => c.operation)).toEqual(['update', 'delete']);
    expect(receiver.callbacks[0]).toMatchObject({ ids: [a], affected_fields: [{ [String(a)]: ['Email'] }], affected_values: [{ record_id: a, values: { Email: 'a@x.com' } }] });
    expect(receiver.callbacks[1]).toMatchObject({ ids: [b], operation: 'delete' });
    const stats = (await z.root.get('/_sim/stats')).data;
    expect(stats.webhooks).toEqual({ delivered: 3, failed: 0, retried: 0, dropped: 0, queued: 0 });
  });

  it('notifies for UI edits, only for subscribed events, and never for seeding', async () => {
    await subscribe();
    await z.root.post('/_sim/seed', { contacts: 20, companies: 5, seed: 2 });
    const account = await z.root.post('/_sim/ui/Accounts', { data: [{ Account_Name: 'Created In UI' }] });
    expect(account.status).toBe(201);
    expect(account.data).toMatchObject({ id: expect.any(String), Account_Name: 'Created In UI', Created_By: { name: 'Sam Rivera' } });
    const edited = await z.root.patch(`/_sim/ui/Accounts/${account.data.id}`, { data: [{ Phone: '+1 555 0100' }] });
    expect(edited.data.Phone).toBe('+1 555 0100');
    const contact = await z.root.post('/_sim/ui/Contacts', { data: [{ Last_Name: 'Person' }] });
    expect((await z.root.delete(`/_sim/ui/Contacts/${contact.data.id}`)).status).toBe(204);
    await drain();
    // Accounts.create is not subscribed; Accounts.edit and Contacts.all are.
    expect(receiver.callbacks.map((c) => `${c.module}.${c.operation}`)).toEqual(['Accounts.update', 'Contacts.insert', 'Contacts.delete']);
    const stats = (await z.root.get('/_sim/stats')).data;
    expect(stats.writes).toBe(0);
  });

  it('stops notifying once the channel expires', async () => {
    const expiry = new Date(Date.now() + 1500).toISOString();
    await subscribe({ channel_expiry: expiry });
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Before' }] });
    await drain();
    expect(receiver.callbacks).toHaveLength(1);
    const deadline = Date.now() + 5000;
    while ((await z.api.get('/actions/watch')).status !== 204 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiry));
    await z.api.post('/Contacts', { data: [{ Last_Name: 'After' }] });
    await drain();
    expect(receiver.callbacks).toHaveLength(1);
  });

  it('retries failed deliveries with backoff and counts them', async () => {
    await subscribe();
    receiver.script.push(500, 503);
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Retry' }] });
    await drain();
    expect(receiver.attempts).toBe(3);
    expect(receiver.callbacks).toHaveLength(1);
    expect((await z.root.get('/_sim/stats')).data.webhooks).toEqual({ delivered: 1, failed: 0, retried: 2, dropped: 0, queued: 0 });
    receiver.clear();
    receiver.script.push(500, 500, 500, 500);
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Gives up' }] });
    await drain();
    expect(receiver.attempts).toBe(4);
    expect((await z.root.get('/_sim/stats')).data.webhooks.failed).toBe(1);
  });

  it('with notifyRetries 0 delivers each notification once: a failed one is not sent again', async () => {
    await subscribe();
    z.sim.options.notifyRetries = 0;
    try {
      receiver.script.push(503);
      await z.api.post('/Contacts', { data: [{ Last_Name: 'Once' }] });
      await drain();
      expect(receiver.attempts).toBe(1);
      expect(receiver.callbacks).toHaveLength(0);
      expect((await z.root.get('/_sim/stats')).data.webhooks).toEqual({ delivered: 0, failed: 1, retried: 0, dropped: 0, queued: 0 });
    } finally {
      z.sim.options.notifyRetries = DEFAULT_ZOHO_OPTIONS.notifyRetries;
    }
  });

  it('duplicates callbacks under the webhookDuplicateRate fault', async () => {
    await subscribe();
    await z.root.post('/_sim/faults', { webhookDuplicateRate: 1 });
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Twice' }] });
    await drain();
    expect(receiver.callbacks).toHaveLength(2);
    expect(receiver.callbacks[0]?.ids).toEqual(receiver.callbacks[1]?.ids);
  });

  it('never sends a callback under webhookDropRate 1, and counts it dropped', async () => {
    await subscribe();
    await z.root.post('/_sim/faults', { webhookDropRate: 1 });
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Lost' }] });
    await drain();
    expect(receiver.attempts).toBe(0);
    expect((await z.root.get('/_sim/stats')).data.webhooks).toEqual({ delivered: 0, failed: 0, retried: 0, dropped: 1, queued: 0 });
  });

  it('reorders callbacks under the webhookReorder fault without losing any', async () => {
    await subscribe();
    await z.root.post('/_sim/faults', { webhookReorder: true });
    // A wider window so that all eight changes below land in one batch of callbacks.
    z.sim.options.notifyBatchMs = 400;
    try {
      const sent: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        const created = await z.api.post<{ data: Array<{ details: { id: string } }> }>('/Contacts', { data: [{ Last_Name: `R${i}` }] });
        const id = String(created.data.data[0]?.details.id);
        await z.api.put('/Contacts', { data: [{ id, Title: 'T' }] });
        sent.push(`insert:${id}`, `update:${id}`);
      }
      await drain();
      const received = receiver.callbacks.map((c) => `${c.operation}:${c.ids.join(',')}`);
      expect([...received].sort()).toEqual([...sent].sort());
      expect(received).not.toEqual(sent);
    } finally {
      z.sim.options.notifyBatchMs = 30;
    }
  });

  it('updates (PATCH, PUT), removes events and disables channels (DELETE)', async () => {
    await subscribe();
    const patched = await z.api.patch('/actions/watch', { watch: [{ channel_id: '1000000068001', events: ['Accounts.create'] }] });
    expect(patched.status).toBe(200);
    expect(patched.data.watch[0].message).toBe('Successfully updated the subscribe details');
    const removed = await z.api.patch('/actions/watch', { watch: [{ channel_id: '1000000068001', events: ['Contacts.all'], _delete_events: true }] });
    expect(removed.status).toBe(200);
    await z.api.post('/Contacts', { data: [{ Last_Name: 'Unwatched' }] });
    await z.api.post('/Accounts', { data: [{ Account_Name: 'Watched' }] });
    await drain();
    expect(receiver.callbacks.map((c) => `${c.module}.${c.operation}`)).toEqual(['Accounts.insert']);
    const put = await z.api.put('/actions/watch', { watch: [{ channel_id: '1000000068001', events: ['Contacts.create'], notify_url: receiver.url }] });
    expect(put.status).toBe(200);
    const off = await z.api.delete('/actions/watch', { params: { channel_ids: '1000000068001' } });
    expect(off.status).toBe(200);
    expect(off.data.watch[0]).toMatchObject({ code: 'SUCCESS', message: 'Successfully un-subscribed from actions-watch', details: { channel_id: '1000000068001' } });
    expect((await z.api.get('/actions/watch')).status).toBe(204);
  });
});
