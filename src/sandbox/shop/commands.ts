import { z } from 'zod';
import { laneKey, replyEvent, type CloudEvent, type Lane } from './cloud-events';
import { problemsOf } from './errors';
import type { ShopFaults } from './faults';
import { NewBusiness, NewUser } from './inputs';
import type { Outbox } from './outbox';
import type { Business, User } from './records';
import type { ShopData } from './shop-data';
import type { SimStats } from '../common/stats';
import type { MessageStats } from './stats';

const Id = z.string().regex(/^[1-9][0-9]{0,17}$/);
const ExternalIds = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), z.string().min(1).max(64)).refine((ids) => Object.keys(ids).length > 0, 'needs at least one CRM id');

/** The envelope every command shares; `correlationid` is read first so that even a broken command can be answered. */
const Envelope = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(128),
  source: z.string().min(1),
  type: z.enum(['user.upsert', 'business.upsert']),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).optional(),
  datacontenttype: z.literal('application/json'),
  correlationid: z.string().min(1).max(128),
  data: z.unknown(),
});
const UserUpsert = z.object({ shop_id: Id.nullable().optional(), external_ids: ExternalIds, attributes: NewUser }).strict();
const BusinessUpsert = z.object({ shop_id: Id.nullable().optional(), external_ids: ExternalIds, attributes: NewBusiness }).strict();

export interface CommandContext {
  data: ShopData;
  outbox: Outbox;
  faults: ShopFaults;
  stats: MessageStats;
  /** `writes` of GET /_sim/stats: records written by commands, as the CRM simulators count API writes. */
  http: SimStats;
  source: string;
  repliesExchange: string;
  inLane<T>(lane: Lane, apply: () => T): T;
}

function parseBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  return typeof text === 'string' ? JSON.parse(text) : text;
}

/** Matches as docs/shop-contract.asyncapi.yaml promises: shop id, then any CRM id, then the natural key. */
function match<T extends User | Business>(rows: Iterable<T>, shopId: string | null | undefined, externalIds: Record<string, string>, naturalKey: (row: T) => boolean): T | undefined {
  const live = [...rows].filter((row) => row.deleted_at === null);
  if (shopId) return live.find((row) => row.id === shopId);
  return live.find((row) => Object.entries(externalIds).some(([system, id]) => row.external_ids[system] === id)) ?? live.find(naturalKey);
}

function upsert(ctx: CommandContext, type: 'user.upsert' | 'business.upsert', payload: unknown): { record: User | Business; created: boolean; subject: string } {
  const { data } = ctx;
  if (type === 'user.upsert') {
    const command = UserUpsert.parse(payload);
    const email = command.attributes.email.toLowerCase();
    const found = match(data.tables.users.all(), command.shop_id, command.external_ids, (row) => row.email === email);
    if (command.shop_id && !found) data.live('users', command.shop_id);
    const record = found ? data.updateUser(found, command.attributes, command.external_ids) : data.createUser(command.attributes, command.external_ids);
    return { record, created: !found, subject: `users/${record.id}` };
  }
  const command = BusinessUpsert.parse(payload);
  const domain = command.attributes.domain ?? null;
  const found = match(data.tables.businesses.all(), command.shop_id, command.external_ids, (row) => domain !== null && row.domain === domain);
  if (command.shop_id && !found) data.live('businesses', command.shop_id);
  const record = found ? data.updateBusiness(found, command.attributes, command.external_ids) : data.createBusiness(command.attributes, command.external_ids);
  return { record, created: !found, subject: `businesses/${record.id}` };
}

/**
 * Applies one command and answers it on the replies exchange (`<entity>.linked`, or `<entity>.rejected` when it
 * breaks the contract or the shop's rules). A command without a readable correlation id or type cannot be answered:
 * it is counted as rejected and dropped. Never throws, so the delivery is always acked: the broker would only
 * redeliver the same broken bytes. A command of the load lane is answered, and its changes announced, on that lane.
 */
export function handleCommand(ctx: CommandContext, body: unknown, lane: Lane = 'live'): void {
  ctx.stats.commands.received += 1;
  let envelope: z.infer<typeof Envelope>;
  try {
    envelope = Envelope.parse(parseBody(body));
  } catch {
    ctx.stats.commands.rejected += 1;
    return;
  }
  const entity = envelope.type === 'user.upsert' ? 'user' : 'business';
  let reply: CloudEvent;
  try {
    const { record, created, subject } = ctx.inLane(lane, () => upsert(ctx, envelope.type, envelope.data));
    ctx.stats.commands.applied += 1;
    ctx.http.write();
    reply = replyEvent(ctx.source, `${entity}.linked`, envelope.correlationid, subject, { id: record.id, created, version: record.version, updated_at: record.updated_at, external_ids: record.external_ids });
  } catch (error) {
    ctx.stats.commands.rejected += 1;
    reply = replyEvent(ctx.source, `${entity}.rejected`, envelope.correlationid, envelope.subject, { errors: problemsOf(error) });
  }
  if (ctx.faults.roll(ctx.faults.get().replyDropRate)) {
    ctx.stats.replies.dropped += 1;
    return;
  }
  ctx.outbox.reply({ exchange: ctx.repliesExchange, routingKey: laneKey(lane, reply.type), event: reply });
}
