import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { topology } from '../../../src/sandbox/shop';
import { resolveOptions } from '../../../src/sandbox/shop/options';
import { shopUpsertCommand } from '../../../src/connectors/shop/commands';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { parseShopEvent, parseShopReply } from '../../../src/systems/shop/broker/contract';
import { shopBrokerNames } from '../../../src/systems/shop/broker/topology';
import { REPO_ROOT } from '../../support/child-process';
import { shopClient } from '../../support/shop-admin';
import { startShopKit, upsertCommand, type Received, type ShopKit } from '../../support/shop-kit';

const CONTRACT = join(REPO_ROOT, 'docs', 'shop-contract.asyncapi.yaml');

let doc: AsyncAPIDocumentInterface;
/** One JSON-schema validator per message name (user.created, user.upsert, …), compiled from the document. */
const validators = new Map<string, ValidateFunction>();
let kit: ShopKit;

beforeAll(async () => {
  const { document, diagnostics } = await new Parser().parse(readFileSync(CONTRACT, 'utf8'));
  // Severity 0 is an error; the parser only advises (severity 1) moving to AsyncAPI 3.1, which the brief fixes at 3.0.
  expect(diagnostics.filter((d) => Number(d.severity) === 0)).toEqual([]);
  if (!document) throw new Error('the contract did not parse');
  doc = document;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const message of doc.messages().all()) {
    const name = message.name();
    if (name) validators.set(name, ajv.compile(message.payload()?.json() ?? {}));
  }
  kit = await startShopKit();
});
afterAll(() => kit?.close());

function check(name: string, body: unknown): string[] {
  const validate = validators.get(name);
  if (!validate) return [`no message ${name} in the contract`];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${name} ${e.instancePath} ${e.message ?? ''}`);
}

/** Every received message matches the contract message named by its routing key (under `load.` on the load lane). */
function checkAll(messages: Received[], lane: 'live' | 'load' = 'live'): void {
  for (const m of messages) {
    expect(lane === 'load' ? `load.${m.event.type}` : m.event.type).toBe(m.routingKey);
    expect(check(m.event.type, m.event)).toEqual([]);
  }
}

describe('docs/shop-contract.asyncapi.yaml', () => {
  test('parses as AsyncAPI 3.0 with every event, command and reply, on the exchanges the simulator uses', () => {
    expect(doc.version()).toBe('3.0.0');
    expect([...validators.keys()].sort()).toEqual(
      ['business.created', 'business.deleted', 'business.linked', 'business.rejected', 'business.updated', 'business.upsert', 'purchase.cancelled', 'purchase.created', 'purchase.refunded', 'purchase.updated', 'user.created', 'user.deleted', 'user.linked', 'user.rejected', 'user.updated', 'user.upsert'].sort(),
    );
    const names = topology(resolveOptions({ amqpUrl: 'amqp://unused' }));
    const exchanges = new Set<string>();
    const queues = new Set<string>();
    for (const channel of doc.channels().all()) {
      const amqp = channel.bindings().get('amqp')?.value<{ is?: string; exchange?: { name?: string }; queue?: { name?: string } }>();
      if (amqp?.exchange?.name) exchanges.add(amqp.exchange.name);
      if (amqp?.queue?.name) queues.add(amqp.queue.name);
    }
    expect(exchanges).toEqual(new Set([names.eventsExchange, names.commandsExchange, names.repliesExchange]));
    expect(queues.has(names.commandQueue)).toBe(true);
    expect(queues.has(names.loadCommandQueue)).toBe(true);
    const ours = shopBrokerNames();
    for (const queue of [ours.eventsQueue, ours.repliesQueue, ours.loadEventsQueue, ours.loadRepliesQueue]) expect(queues.has(queue)).toBe(true);
    const receive = doc.operations().all().filter((op) => op.action() === 'receive');
    expect(receive.map((op) => [op.channels().all()[0]?.address(), op.reply()?.channel()?.address()]).sort()).toEqual([
      ['business.upsert', 'business.{outcome}'],
      ['load.business.upsert', 'load.business.{outcome}'],
      ['load.user.upsert', 'load.user.{outcome}'],
      ['user.upsert', 'user.{outcome}'],
    ]);
    // every routing key the load lane uses is a channel, carrying the live lane's message of that type
    const addresses = new Set(doc.channels().all().map((channel) => channel.address()));
    for (const address of ['load.user.{event}', 'load.business.{event}']) expect(addresses.has(address)).toBe(true);
  });

  test('the schemas refuse what the contract forbids', () => {
    const good = upsertCommand('user.upsert', { external_ids: { hubspot: '1' }, attributes: { email: 'a@example.com' } });
    expect(check('user.upsert', good)).toEqual([]);
    expect(check('user.upsert', { ...good, correlationid: undefined })).not.toEqual([]);
    expect(check('user.upsert', { ...good, data: { external_ids: {}, attributes: { email: 'a@example.com' } } })).not.toEqual([]);
    expect(check('user.upsert', { ...good, data: { external_ids: { hubspot: '1' }, attributes: { email: 'nope' } } })).not.toEqual([]);
    expect(check('user.created', { ...good, type: 'user.created', subject: 'users/1', data: { id: '1', version: 0, updated_at: new Date().toISOString() } })).not.toEqual([]);
  });

  test('everything the simulator publishes, and the commands it accepts, match the contract', async () => {
    const shop = shopClient(kit.sim.url);
    const business = await shop.create('businesses', { name: 'Hooli', domain: 'hooli.example' });
    const user = await shop.create('users', { email: 'gavin@hooli.example', business_id: business.id });
    const purchase = await shop.create('purchases', { user_id: user.id, business_id: business.id, currency: 'USD', status: 'paid', lines: [{ sku: 'BOX', name: 'The Box', quantity: 1, unit_price_minor: 99_900 }] });
    await shop.update('purchases', purchase.id, { status: 'fulfilled' });
    await shop.update('purchases', purchase.id, { status: 'refunded' });
    await shop.remove('purchases', purchase.id);
    await shop.update('users', user.id, { first_name: 'Gavin' });
    await shop.update('businesses', business.id, { name: 'Hooli XYZ' });
    await shop.remove('users', user.id);
    await shop.remove('businesses', business.id);

    const commands = [
      upsertCommand('user.upsert', { external_ids: { hubspot: '9', zoho: '19' }, attributes: { email: 'richard@piedpiper.example', first_name: 'Richard', last_name: 'Hendricks' } }),
      upsertCommand('business.upsert', { external_ids: { hubspot: '5000009' }, attributes: { name: 'Pied Piper', domain: 'piedpiper.example' } }),
      upsertCommand('business.upsert', { shop_id: '999999', external_ids: { hubspot: '5000010' }, attributes: { name: 'Nobody' } }),
    ];
    for (const command of commands) {
      expect(check(command.type, command)).toEqual([]);
      await kit.send(command.type, command);
    }
    const replies = await kit.replies.expect(3);
    expect(replies.map((r) => r.routingKey)).toEqual(['user.linked', 'business.linked', 'business.rejected']);
    checkAll(replies);

    const events = await kit.events.expect(12);
    expect(new Set(events.map((e) => e.routingKey))).toEqual(
      new Set(['business.created', 'user.created', 'purchase.created', 'purchase.updated', 'purchase.refunded', 'purchase.cancelled', 'user.updated', 'business.updated', 'user.deleted', 'business.deleted']),
    );
    checkAll(events);

    // crm-sync's side of the contract: what its listener accepts is what the shop sends, and its commands are valid
    for (const event of events) expect(parseShopEvent(event.event)).toMatchObject({ ok: true });
    for (const reply of replies) expect(parseShopReply(reply.event)).toMatchObject({ ok: true });
    const ours = [
      shopUpsertCommand(DEFAULT_SYNC_RULES, { object: 'contact', shopId: null, fields: { email: 'monica@piedpiper.example', firstName: 'Monica', lastName: null }, companyId: '200001', externalIds: { hubspot: '11' }, correlationId: 'hubspot:contact:11/c1', source: 'urn:crm-sync' }),
      shopUpsertCommand(DEFAULT_SYNC_RULES, { object: 'company', shopId: '200001', fields: { name: 'Pied Piper', domain: null }, externalIds: { zoho: '21' }, correlationId: 'zoho:company:21/c2', source: 'urn:crm-sync' }),
    ];
    for (const command of ours) expect(check(command.type, command)).toEqual([]);
  });

  test('on the load lane: load commands are answered under load., and the events about their changes go out under load. too', async () => {
    kit.events.clear();
    kit.replies.clear();
    const shop = shopClient(kit.sim.url);
    const existing = await shop.create('users', { email: 'jared@piedpiper.example' });
    await kit.events.expect(1);
    kit.events.clear();
    const commands = [
      upsertCommand('user.upsert', { external_ids: { zoho: '31' }, attributes: { email: 'dinesh@piedpiper.example' } }),
      upsertCommand('user.upsert', { shop_id: existing.id, external_ids: { hubspot: '32' }, attributes: { email: 'jared@piedpiper.example' } }),
      upsertCommand('business.upsert', { shop_id: '999999', external_ids: { hubspot: '5000033' }, attributes: { name: 'Nobody' } }),
    ];
    for (const command of commands) await kit.send(`load.${command.type}`, command);
    const replies = await kit.replies.expect(3);
    expect(replies.map((r) => r.routingKey)).toEqual(['load.user.linked', 'load.user.linked', 'load.business.rejected']);
    checkAll(replies, 'load');
    const events = await kit.events.expect(2);
    expect(events.map((e) => e.routingKey)).toEqual(['load.user.created', 'load.user.updated']);
    checkAll(events, 'load');
    for (const event of events) expect(parseShopEvent(event.event)).toMatchObject({ ok: true });

    // a change made in the shop meanwhile is live as ever
    await shop.update('users', existing.id, { first_name: 'Jared' });
    expect((await kit.events.expect(3)).at(-1)?.routingKey).toBe('user.updated');
  });
});
