import { z } from 'zod';
import type { Lane } from '../../../domain/lane';
import type { CrmObject } from '../../../domain/records';
import type { CommandReply, RecordChange, RecordEvent } from '../../../workflows/messages';

/**
 * The messages of docs/shop-contract.asyncapi.yaml crm-sync receives, as zod schemas: everything a message must hold
 * for us to act on it. A message that fails them is dead-lettered, never half-used.
 */

const ShopId = z.string().regex(/^[1-9][0-9]{0,17}$/);
const Timestamp = z.iso.datetime({ offset: true });

const envelope = {
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(128),
  source: z.string().min(1),
  time: Timestamp,
  datacontenttype: z.literal('application/json'),
};

const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'business.created',
  'business.updated',
  'business.deleted',
  'purchase.created',
  'purchase.updated',
  'purchase.refunded',
  'purchase.cancelled',
] as const;

const ENTITIES = {
  user: { object: 'contact', collection: 'users' },
  business: { object: 'company', collection: 'businesses' },
  purchase: { object: 'deal', collection: 'purchases' },
} as const satisfies Record<string, { object: CrmObject; collection: string }>;

type Entity = keyof typeof ENTITIES;

const ShopEvent = z
  .object({
    ...envelope,
    type: z.enum(EVENT_TYPES),
    subject: z.string().regex(/^(users|businesses|purchases)\/[1-9][0-9]*$/),
    data: z.strictObject({ id: ShopId, version: z.int().min(1), updated_at: Timestamp }),
  })
  // The subject names the record twice (collection and id); one that disagrees with type or data is not trusted.
  .refine((event) => event.subject === `${ENTITIES[entityOf(event.type)].collection}/${event.data.id}`, {
    message: 'subject does not name the record of type and data.id',
    path: ['subject'],
  });

export type ShopEvent = z.infer<typeof ShopEvent>;

const ExternalIds = z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), z.string().min(1).max(64));

const commandEnvelope = { ...envelope, correlationid: z.string().min(1).max(128) };

const Linked = z.object({
  ...commandEnvelope,
  type: z.enum(['user.linked', 'business.linked']),
  subject: z.string().min(1),
  data: z.strictObject({
    id: ShopId,
    created: z.boolean(),
    version: z.int().min(1),
    // Not in contract 1.0.0: a shop that sends it gives the version's time; otherwise the reply's time stands for it.
    updated_at: Timestamp,
    external_ids: ExternalIds,
  }),
});

const Rejected = z.object({
  ...commandEnvelope,
  type: z.enum(['user.rejected', 'business.rejected']),
  subject: z.string().min(1).optional(),
  data: z.strictObject({
    errors: z.array(z.strictObject({ field: z.string().optional(), message: z.string() })).min(1),
  }),
});

const ShopReply = z.discriminatedUnion('type', [Linked, Rejected]);

export type ShopReply = z.infer<typeof ShopReply>;

/** Why a message cannot be used; safe to log and to keep: it names fields and rules, never values. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseShopEvent(body: unknown): Parsed<ShopEvent> {
  return parseWith(ShopEvent, body);
}

export function parseShopReply(body: unknown): Parsed<ShopReply> {
  return parseWith(ShopReply, body);
}

/**
 * The record change an event announces. Duplicates and reordering need no care here: the event only says "look at
 * this record", the record workflow reads the current record and keeps the newest version, and the CloudEvents id
 * travels as eventId for tracing a repeat. An event from the load queue keeps its record's commands on the load lane.
 */
export function recordChangeOf(event: ShopEvent, lane: Lane = 'live'): RecordChange {
  const entity = entityOf(event.type);
  const action = event.type.slice(entity.length + 1);
  const kind: RecordEvent['kind'] = action === 'created' ? 'create' : action === 'deleted' ? 'delete' : 'change';
  return {
    ref: { system: 'shop', object: ENTITIES[entity].object, id: event.data.id },
    event: { kind, occurredAt: Date.parse(event.data.updated_at), eventId: event.id, ...(lane === 'load' ? { lane } : {}) },
  };
}

/** What the record workflow that sent the command is told. */
export function commandReplyOf(reply: ShopReply): CommandReply {
  const { data } = reply;
  if ('errors' in data) {
    // A rejection without a field is about the command as a whole; the record's failure lists it under no field name.
    return { correlationId: reply.correlationid, errors: data.errors.map((error) => ({ field: error.field ?? '', reason: error.message })) };
  }
  return {
    correlationId: reply.correlationid,
    result: { id: data.id, version: String(data.version), modifiedAt: Date.parse(data.updated_at), created: data.created },
  };
}

function entityOf(type: (typeof EVENT_TYPES)[number]): Entity {
  return type.slice(0, type.indexOf('.')) as Entity;
}

const MAX_ISSUES = 3;

function parseWith<T>(schema: z.ZodType<T>, body: unknown): Parsed<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  // zod's messages name the rule broken (expected type, pattern, unknown key), not the value: no personal data.
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const more = result.error.issues.length - issues.length;
  return { ok: false, reason: `breaks the contract: ${issues.join('; ')}${more > 0 ? ` (and ${more} more)` : ''}` };
}
