import { randomUUID } from 'node:crypto';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import { Connection } from 'rabbitmq-client';
import { startApi } from '../../src/api';
import { createDataConverter } from '../../src/codec/data-converter';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { shopBrokerNames, shopListener } from '../../src/systems/shop/broker';
import { hubspot } from '../../src/systems/hubspot/definition';
import type { SystemDefinition } from '../../src/systems/types';
import { amqpUrl } from '../support/amqp';
import { freePort } from '../support/free-port';
import { namespaceFor } from '../support/namespaces';
import { startRelay } from '../support/tcp-relay';
import { waitFor } from '../support/wait-for';

describe('the API runs every registered system\'s listener', () => {
  const rabbit = new Connection({ url: amqpUrl(), connectionName: 'shop-broker-api-test' });
  rabbit.on('error', () => undefined);
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await rabbit.close();
  });

  test('/readyz names the broker until it is reachable, events reach their workflows, and stop() ends the consumer', async () => {
    const relayPort = await freePort();
    const relayed = new URL(amqpUrl());
    relayed.port = String(relayPort);
    const namePrefix = `t${randomUUID().slice(0, 8)}.`;
    const names = shopBrokerNames(namePrefix);
    cleanups.push(async () => {
      for (const queue of [names.eventsQueue, names.repliesQueue, names.loadEventsQueue, names.loadRepliesQueue, names.deadLetterQueue]) await rabbit.queueDelete({ queue });
    });
    // A system that receives its changes over the broker (HubSpot's definition stands in for the shop's, which is
    // not registered yet); its listener is the real one. No worker runs: an accepted event only starts a workflow.
    const shop: SystemDefinition = { ...hubspot, name: 'shop', label: 'Shop', listen: (context) => shopListener({ ...context, url: relayed.toString(), namePrefix }) };
    const config = loadConfig({ PATH: process.env.PATH, LOG_LEVEL: 'silent', CRM_SANDBOX: 'true', API_PORT: String(await freePort()), TEMPORAL_NAMESPACE: namespaceFor(__filename) });
    const api = await startApi(config, { logger: silentLogger, address: process.env.TEMPORAL_TEST_ADDRESS ?? '', systems: [shop] });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await api.stop();
    });
    const readiness = async () => {
      const response = await fetch(`${api.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; reason?: string } };
    };
    const before = await readiness();
    expect(before.status).toBe(503);
    expect(before.body.reason).toContain('shop broker: not connected to RabbitMQ');

    const relay = await startRelay(relayPort, `127.0.0.1:${new URL(amqpUrl()).port}`);
    cleanups.push(() => relay.close());
    // No worker runs here, so /readyz stays 503, for that reason alone.
    await waitFor(async () => {
      const { body } = await readiness();
      return body.reason !== undefined && !body.reason.includes('shop broker');
    }, '/readyz to stop naming the broker', 60_000);

    const temporal = await TemporalConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS });
    cleanups.push(() => temporal.close());
    const client = new Client({ connection: temporal, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    const id = String(100_000 + Math.floor(Math.random() * 800_000));
    const event = { specversion: '1.0', id: randomUUID(), source: 'urn:shop:test', type: 'user.updated', time: new Date().toISOString(), subject: `users/${id}`, datacontenttype: 'application/json', data: { id, version: 4, updated_at: new Date().toISOString() } };
    const publisher = rabbit.createPublisher({ confirm: true });
    await publisher.send({ exchange: names.eventsExchange, routingKey: event.type, durable: true, messageId: event.id, contentType: 'application/cloudevents+json' }, Buffer.from(JSON.stringify(event)));
    await publisher.close();
    await waitFor(() => client.workflow.getHandle(`shop:contact:${id}`).describe(), 'the record workflow of the event');
    await client.workflow.getHandle(`shop:contact:${id}`).terminate('test over');

    const metrics = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${config.adminToken}` } })).text();
    expect(metrics).toContain(`crm_sync_broker_messages_total{system="shop",queue="${names.eventsQueue}",outcome="accepted"} 1`);

    await api.stop();
    stopped = true;
    expect((await rabbit.queueDeclare({ queue: names.eventsQueue, passive: true })).consumerCount).toBe(0);
  }, 120_000);
});
