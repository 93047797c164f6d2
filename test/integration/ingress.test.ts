import { Signature } from '@hubspot/api-client';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startApi } from '../../src/api';
import { silentLogger } from '../../src/logger';
import { BACKFILL_PRIORITY, syncStatusQuery, TASK_QUEUES, WORKFLOW_TYPES } from '../../src/workflows/messages';
import { BULK_DELIVERY_RECORDS } from '../../src/ingress/accept-changes';
import { lanesIn } from '../support/history-calls';
import { hubspotAdmin, zohoAdmin } from '../support/sim-client';
import { startTestStack, type TestStack } from '../support/stack';
import { zohoWatchChannel } from '../../src/systems/zoho/watch-start';
import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';

/** Signs like HubSpot does, with the official client's own implementation (not ours). */
function signedHeaders(url: string, body: string, secret: string, timestamp = Date.now()): Record<string, string> {
  const signature = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: body, url, timestamp });
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signature,
    'x-hubspot-request-timestamp': String(timestamp),
  };
}

describe('webhook ingress', () => {
  let stack: TestStack;
  let hookUrl: string;
  let secret: string;

  beforeAll(async () => {
    stack = await startTestStack({ testFile: __filename, env: { WEBHOOK_BODY_LIMIT: '64kb' } });
    hookUrl = `${stack.apiUrl}/webhooks/hubspot`;
    secret = stack.config.hubspot.clientSecret;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const post = (body: string, headers: Record<string, string>) => fetch(hookUrl, { method: 'POST', body, headers });
  /** The ids of every bulk delivery's workflow run so far (one entry per run). */
  const bulkDeliveryIds = async () => {
    const ids: string[] = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowType = '${WORKFLOW_TYPES.bulkDelivery}'` })) ids.push(execution.workflowId);
    return ids;
  };

  test('healthz answers and readyz sees a live worker on every task queue and the Zoho channel registered', async () => {
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
    const ready = await waitFor(async () => {
      const response = await fetch(`${stack.apiUrl}/readyz`);
      return response.status === 200 ? response : null;
    }, 'readyz to answer 200');
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  test('a signed batch starts one workflow per record, and answers only after Temporal accepted it', async () => {
    const events = [
      { eventId: 1, subscriptionType: 'contact.propertyChange', objectId: 9001, occurredAt: Date.now(), changeSource: 'CRM_UI', propertyName: 'firstname', attemptNumber: 0 },
      { eventId: 2, subscriptionType: 'contact.propertyChange', objectId: 9001, occurredAt: Date.now(), changeSource: 'CRM_UI', propertyName: 'lastname', attemptNumber: 0 },
      { eventId: 3, subscriptionType: 'company.creation', objectId: 9002, occurredAt: Date.now(), changeSource: 'CRM_UI', attemptNumber: 0 },
      { eventId: 4, subscriptionType: 'deal.creation', objectId: 9003, occurredAt: Date.now(), attemptNumber: 0 },
      { eventId: 5, subscriptionType: 'ticket.creation', objectId: 9004, occurredAt: Date.now(), attemptNumber: 0 },
    ];
    const body = JSON.stringify(events);
    const response = await post(body, signedHeaders(hookUrl, body, secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 4, ignored: 1, ownWrites: 0 });
    // Accepted means the workflows exist right now, not eventually.
    const contact = await stack.client.workflow.getHandle('hubspot:contact:9001').describe();
    const company = await stack.client.workflow.getHandle('hubspot:company:9002').describe();
    expect(contact.searchAttributes.CrmObject).toEqual(['contact']);
    expect(company.searchAttributes.CrmSystem).toEqual(['hubspot']);
    expect((await stack.client.workflow.getHandle('hubspot:deal:9003').describe()).searchAttributes.CrmObject).toEqual(['deal']);
    const status = await waitFor(async () => {
      const s = await stack.client.workflow.getHandle('hubspot:contact:9001').query(syncStatusQuery);
      return s.passes > 0 ? s : null;
    }, 'the contact workflow to run a pass');
    expect(status.passes).toBeGreaterThanOrEqual(1);
  });

  test("a delivery naming more records than people's edits do (an import) syncs them after live passes; one on its own is live", async () => {
    /** How the CRM calls of the record's workflow went, once it made one: local activities (live), or queued at a priority. */
    const lanes = (workflowId: string) =>
      waitFor(async () => {
        const seen = lanesIn((await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [], 'hubspot');
        return seen.size > 0 ? seen : null;
      }, `a call made by ${workflowId}`);
    const deliver = async (ids: number[], firstEventId: number) => {
      const events = ids.map((objectId, k) => ({ eventId: firstEventId + k, subscriptionType: 'contact.creation', objectId, occurredAt: Date.now(), changeSource: 'IMPORT', attemptNumber: 0 }));
      const body = JSON.stringify(events);
      const response = await post(body, signedHeaders(hookUrl, body, secret));
      expect(response.status).toBe(200);
    };
    const imported = Array.from({ length: BULK_DELIVERY_RECORDS + 1 }, (_, k) => 9300 + k);
    await deliver(imported, 300);
    await deliver([9400], 400);
    // handed over whole, in one workflow, which starts every record's
    expect(await bulkDeliveryIds()).toHaveLength(1);
    await waitFor(async () => {
      const started = await Promise.all(imported.map((id) => stack.client.workflow.getHandle(`hubspot:contact:${id}`).describe().then(() => true, () => false)));
      return started.every(Boolean);
    }, 'every imported record to have its workflow');
    // none of these contacts exists in HubSpot: each pass reads it once and ends
    expect(await lanes('hubspot:contact:9300')).toEqual(new Set([BACKFILL_PRIORITY]));
    // its workflow tasks too, on the load queue, whose worker takes a few at a time (SYNC_LOAD_TASKS)
    const importedRun = await stack.client.workflow.getHandle('hubspot:contact:9300').describe();
    expect(importedRun.raw.workflowExecutionInfo?.priority?.priorityKey).toBe(BACKFILL_PRIORITY);
    expect(importedRun.taskQueue).toBe(TASK_QUEUES.syncLoad);
    // a live pass calls the CRMs in local activities, in its own workflow task, and the worker's pacer puts them first
    expect(await lanes('hubspot:contact:9400')).toEqual(new Set(['local']));
    expect((await stack.client.workflow.getHandle('hubspot:contact:9400').describe()).taskQueue).toBe(TASK_QUEUES.sync);

    // a person's edit of an imported record arrives in a small delivery: the record leaves the load queue's backlog
    // (its workflow continues on the live queue, not a new one after the first ended) and its next pass is live
    const importedRunId = (await stack.client.workflow.getHandle('hubspot:contact:9301').describe()).runId;
    await deliver([9301], 500);
    const moved = await waitFor(async () => {
      const run = await stack.client.workflow.getHandle('hubspot:contact:9301').describe();
      return run.taskQueue === TASK_QUEUES.sync ? run : null;
    }, "the imported contact's workflow on the live queue");
    expect(moved.raw.workflowExecutionInfo?.firstRunId).toBe(importedRunId);
    await waitFor(async () => (await lanes('hubspot:contact:9301')).has('local'), "the imported contact's live pass");
  });

  test('a bulk delivery sent again while the first is being fanned out is the same workflow; each record is signalled', async () => {
    const ids = Array.from({ length: BULK_DELIVERY_RECORDS + 5 }, (_, k) => 9500 + k);
    const events = ids.map((objectId, k) => ({ eventId: 600 + k, subscriptionType: 'contact.propertyChange', propertyName: 'city', objectId, occurredAt: Date.now(), changeSource: 'CRM_UI', attemptNumber: 0 }));
    const before = new Set(await bulkDeliveryIds());
    const body = JSON.stringify(events);
    const [first, again] = await Promise.all([post(body, signedHeaders(hookUrl, body, secret)), post(body, signedHeaders(hookUrl, body, secret))]);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await first.json()).toEqual({ accepted: ids.length, ignored: 0, ownWrites: 0 });
    const added = await waitFor(async () => {
      const now = (await bulkDeliveryIds()).filter((id) => !before.has(id));
      return now.length > 0 ? now : null;
    }, 'the bulk delivery in the visibility store');
    expect(new Set(added).size).toBe(1);
    const statuses = await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => stack.client.workflow.getHandle(`hubspot:contact:${id}`).query(syncStatusQuery).catch(() => null)));
      return all.every((status) => status !== null && status.passes > 0) ? all : null;
    }, "every record's pass");
    expect(statuses).toHaveLength(ids.length);
  });

  test("many people's edits in one delivery are live; one author's many records in it (an import) take the load lane", async () => {
    const at = Date.now();
    const imported = Array.from({ length: BULK_DELIVERY_RECORDS + 1 }, (_, k) => 9600 + k);
    const edited = Array.from({ length: BULK_DELIVERY_RECORDS + 5 }, (_, k) => 9700 + k);
    const events = [
      ...imported.map((objectId, k) => ({ eventId: 700 + k, subscriptionType: 'contact.creation', objectId, occurredAt: at, changeSource: 'IMPORT', sourceId: 'userId:1', attemptNumber: 0 })),
      ...edited.map((objectId, k) => ({ eventId: 800 + k, subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle', objectId, occurredAt: at, changeSource: 'CRM_UI', sourceId: `userId:${100 + k}`, attemptNumber: 0 })),
      // someone edits an imported record in the same second: a person's edit, so that record is live too
      { eventId: 900, subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle', objectId: 9605, occurredAt: at, changeSource: 'CRM_UI', sourceId: 'userId:99', attemptNumber: 0 },
    ];
    const body = JSON.stringify(events);
    const response = await post(body, signedHeaders(hookUrl, body, secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: events.length, ignored: 0, ownWrites: 0 });
    const queueOf = async (id: number) => (await stack.client.workflow.getHandle(`hubspot:contact:${id}`).describe()).taskQueue;
    // signalled before the 200, one by one, on the live queue
    expect(new Set(await Promise.all([...edited, 9605].map(queueOf)))).toEqual(new Set([TASK_QUEUES.sync]));
    // the import's other records arrive through its bulk delivery, on the load queue
    const loadQueues = await waitFor(async () => {
      const queues = await Promise.all(imported.filter((id) => id !== 9605).map((id) => queueOf(id).catch(() => null)));
      return queues.every((queue) => queue !== null) ? new Set(queues) : null;
    }, "every imported record's workflow");
    expect(loadQueues).toEqual(new Set([TASK_QUEUES.syncLoad]));
  });

  test('our own writes (changeSource INTEGRATION from our app id) are acknowledged but not signalled', async () => {
    const events = [{ eventId: 5, subscriptionType: 'contact.propertyChange', objectId: 9100, occurredAt: Date.now(), changeSource: 'INTEGRATION', sourceId: stack.config.hubspot.appId, attemptNumber: 0 }];
    const body = JSON.stringify(events);
    const response = await post(body, signedHeaders(hookUrl, body, secret));
    expect(await response.json()).toEqual({ accepted: 0, ignored: 0, ownWrites: 1 });
    await expect(stack.client.workflow.getHandle('hubspot:contact:9100').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test.each([
    ['no signature', (_body: string): Record<string, string> => ({ 'content-type': 'application/json' })],
    ['a wrong secret', (body: string) => signedHeaders(hookUrl, body, 'not-the-secret')],
    ['a stale timestamp', (body: string) => signedHeaders(hookUrl, body, secret, Date.now() - 6 * 60_000)],
  ])('rejects %s with 401 and a JSON reason', async (_name, headersFor) => {
    const body = JSON.stringify([{ eventId: 6, subscriptionType: 'contact.creation', objectId: 9200, occurredAt: Date.now() }]);
    const response = await post(body, headersFor(body));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid signature' });
    await expect(stack.client.workflow.getHandle('hubspot:contact:9200').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  test('a tampered body fails the signature check', async () => {
    const body = JSON.stringify([{ eventId: 7, subscriptionType: 'contact.creation', objectId: 9300, occurredAt: Date.now() }]);
    const headers = signedHeaders(hookUrl, body, secret);
    const response = await post(body.replace('9300', '9301'), headers);
    expect(response.status).toBe(401);
  });

  test('malformed JSON → 400, a body of the wrong shape → 400, oversized → 413, all as JSON', async () => {
    const broken = '[{"eventId": 1,';
    const malformed = await post(broken, signedHeaders(hookUrl, broken, secret));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'malformed JSON' });

    const wrongShape = JSON.stringify({ not: 'an array' });
    const invalid = await post(wrongShape, signedHeaders(hookUrl, wrongShape, secret));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: 'invalid webhook body' });

    const huge = JSON.stringify([{ eventId: 8, subscriptionType: 'contact.creation', objectId: 1, occurredAt: 1, padding: 'x'.repeat(70_000) }]);
    const tooLarge = await post(huge, signedHeaders(hookUrl, huge, secret));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: 'payload too large' });
  });

  test('Zoho notifications need the channel token', async () => {
    const url = `${stack.apiUrl}/webhooks/zoho`;
    const notification = (token: string) =>
      JSON.stringify({ server_time: Date.now(), module: 'Contacts', resource_uri: 'x', ids: ['4876876000000999'], operation: 'update', channel_id: stack.config.zoho.channelId, token, query_params: {}, affected_fields: [] });
    const headers = { 'content-type': 'application/json' };
    const bad = await fetch(url, { method: 'POST', headers, body: notification('wrong-token-value') });
    expect(bad.status).toBe(401);
    const good = await fetch(url, { method: 'POST', headers, body: notification(stack.config.zoho.channelToken) });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ accepted: 1, ignored: 0, ownWrites: 0 });
    expect((await stack.client.workflow.getHandle('zoho:contact:4876876000000999').describe()).status.name).toBeDefined();
    const otherModule = JSON.stringify({ server_time: Date.now(), module: 'Deals', ids: ['1'], operation: 'insert', channel_id: '1', token: stack.config.zoho.channelToken });
    expect(await (await fetch(url, { method: 'POST', headers, body: otherModule })).json()).toEqual({ accepted: 0, ignored: 1, ownWrites: 0 });
  });

  test('hostile bodies from a holder of the secrets get a 4xx naming why, never a 5xx (found by the chaos suite)', async () => {
    const zohoUrl = `${stack.apiUrl}/webhooks/zoho`;
    const json = { 'content-type': 'application/json' };
    const zohoBody = (fields: Record<string, unknown>) =>
      JSON.stringify({ server_time: Date.now(), module: 'Contacts', ids: ['4876876000000998'], operation: 'update', channel_id: stack.config.zoho.channelId, token: stack.config.zoho.channelToken, ...fields });
    const zohoPost = async (fields: Record<string, unknown>) => {
      const response = await fetch(zohoUrl, { method: 'POST', headers: json, body: zohoBody(fields) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // String() of this object throws: it was a 500
    expect(await zohoPost({ token: { toString: 'x' } })).toEqual({ status: 401, body: { error: 'invalid channel token' } });
    // Object's own keys were taken for modules we sync: the signal failed, a 503 for ever
    expect(await zohoPost({ module: 'constructor' })).toEqual({ status: 200, body: { accepted: 0, ignored: 1, ownWrites: 0 } });
    // an id too long for a workflow id was a 503 for ever
    expect(await zohoPost({ ids: ['9'.repeat(256)] })).toMatchObject({ status: 400, body: { error: 'invalid notification body' } });
    // tens of thousands of ids held the answer past a minute
    expect(await zohoPost({ ids: Array.from({ length: 1_001 }, (_, i) => String(4876876000001000 + i)) })).toMatchObject({ status: 413, body: { error: 'too many records in one delivery' } });

    const hubspotPost = async (events: Record<string, unknown>[]) => {
      const body = JSON.stringify(events.map((event, i) => ({ eventId: i, occurredAt: Date.now(), changeSource: 'CRM_UI', attemptNumber: 0, ...event })));
      const response = await post(body, signedHeaders(hookUrl, body, secret));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await hubspotPost([{ subscriptionType: 'contact.propertyChange', objectId: '9'.repeat(256) }])).toMatchObject({ status: 400, body: { error: 'invalid webhook body' } });
    expect(await hubspotPost([{ subscriptionType: 'contact.constructor', objectId: 9400 }, { subscriptionType: 'contact.__proto__', objectId: 9401 }])).toEqual({ status: 200, body: { accepted: 0, ignored: 2, ownWrites: 0 } });
  });

  test('Zoho notifications of records exactly as last synced (echoes of our own writes) are dropped; changed ones are signalled', async () => {
    const hubspot = hubspotAdmin(stack.hubspot.url);
    const zoho = zohoAdmin(stack.zoho.url);
    const created = await hubspot.create('contacts', { email: 'echo@example.com', firstname: 'Echo', lastname: 'Location' });
    const link = await waitFor(async () => {
      const entity = await stack.services.store.getEntity({ system: 'hubspot', object: 'contact', id: created.id });
      const zohoLink = entity?.links.zoho;
      return zohoLink?.version ? zohoLink : null;
    }, 'the contact linked in Zoho');
    const zohoId = link.recordId;
    const url = `${stack.apiUrl}/webhooks/zoho`;
    const notify = async () => {
      const body = JSON.stringify({ server_time: Date.now(), module: 'Contacts', ids: [zohoId], operation: 'update', channel_id: stack.config.zoho.channelId, token: stack.config.zoho.channelToken });
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(200);
      return (await response.json()) as { accepted: number; ignored: number; ownWrites: number };
    };
    await waitFor(async () => (await notify()).ownWrites === 1, 'the echo recognised once the pass has saved its merge base');
    expect(await notify()).toEqual({ accepted: 0, ignored: 0, ownWrites: 1 });

    // A person's edit, not yet synced (the channel is off, so only our notification tells of it): signalled.
    await stack.connectors.zoho.disableWatch(stack.config.zoho.channelId);
    try {
      await zoho.update('Contacts', zohoId, { Title: 'Changed by a person' });
      expect(await notify()).toEqual({ accepted: 1, ignored: 0, ownWrites: 0 });
      const zohoRef = { system: 'zoho', object: 'contact' as const, id: zohoId };
      // own writes recorded from here on are newer than the entity's last save (times are kept to the millisecond)
      const pastLastSave = () =>
        waitFor(async () => {
          const entity = await stack.services.store.getEntity(zohoRef);
          return entity && Date.now() > Date.parse(entity.updatedAt);
        }, 'a millisecond past the last save');
      // in HubSpot, then in the entity's save (which follows the HubSpot write)
      await waitFor(async () => (await hubspot.records('contacts')).find((r) => r.id === created.id)?.properties.jobtitle === 'Changed by a person', 'the edit in HubSpot');
      await waitFor(async () => (await stack.services.store.getEntity(zohoRef))?.links.zoho?.base.jobTitle === 'Changed by a person', 'the edit saved');
      await pastLastSave();

      // A pass's write notified before the pass has saved its entity (a busy worker): the check waits for the save,
      // which comes here 300 ms after the notification, and then finds the echo.
      const written = 'Written by a pass';
      await stack.services.store.recordOwnWrites([{ ref: zohoRef, fields: { jobTitle: written } }]);
      await zoho.update('Contacts', zohoId, { Title: written });
      const answer = notify();
      const saved = (async () => {
        await delay(300);
        const entity = await stack.services.store.getEntity(zohoRef);
        const link = entity?.links.zoho;
        if (!entity || !link) throw new Error('the contact is no longer linked');
        await stack.services.store.saveEntity({ ...entity, links: { ...entity.links, zoho: { ...link, base: { ...link.base, jobTitle: written } } }, expectedRevision: entity.revision });
      })();
      expect(await answer).toEqual({ accepted: 0, ignored: 0, ownWrites: 1 });
      await saved;

      // A write whose pass never saves (it gave up): no save comes, so the notification brings a pass after the wait.
      await pastLastSave();
      await stack.services.store.recordOwnWrites([{ ref: zohoRef, fields: { jobTitle: 'Written, never saved' } }]);
      await zoho.update('Contacts', zohoId, { Title: 'Written, never saved' });
      expect(await notify()).toEqual({ accepted: 1, ignored: 0, ownWrites: 0 });
    } finally {
      await stack.connectors.zoho.enableWatch({ ...zohoWatchChannel(stack.config), expiry: new Date(Date.now() + 6 * 86_400_000) });
    }
  });

  test.each([
    ['refuses connections (stopped)', async () => ({ address: `127.0.0.1:${await freePort()}`, close: async () => undefined })],
    ['accepts connections but never answers (hung)', silentServer],
  ])('answers 503 when Temporal %s, so HubSpot delivers again, well inside its 5 s delivery timeout', async (_case, temporal) => {
    const server = await temporal();
    const { url, stop } = await startApi({ ...stack.config, api: { ...stack.config.api, port: 0 } }, { logger: silentLogger, address: server.address });
    const deliver = async () => {
      const body = JSON.stringify([{ eventId: 9, subscriptionType: 'contact.creation', objectId: 9400, occurredAt: Date.now() }]);
      const started = performance.now();
      const response = await fetch(`${url}/webhooks/hubspot`, { method: 'POST', body, headers: signedHeaders(`${stack.config.api.publicUrl}/webhooks/hubspot`, body, secret) });
      return { response, ms: performance.now() - started };
    };
    try {
      // The first delivery meets a connection never established; the second, one that has failed already.
      for (const attempt of [await deliver(), await deliver()]) {
        expect(attempt.response.status).toBe(503);
        expect(await attempt.response.json()).toMatchObject({ error: 'temporal unavailable' });
        expect(attempt.ms).toBeLessThan(5_000);
      }
      const started = performance.now();
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await stop();
      await server.close();
    }
  });
});

/** A TCP server that accepts and then says nothing: a Temporal that hangs (overloaded, or a black-holing proxy). */
async function silentServer(): Promise<{ address: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
