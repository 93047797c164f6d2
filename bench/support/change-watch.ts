import { z } from 'zod';
import type { TapObserver } from './webhook-tap';

/** A property value written in HubSpot, with the time HubSpot stamped on the write (occurredAt, epoch ms). */
export interface HubspotChange {
  object: string;
  id: string;
  kind: string;
  property: string | null;
  value: string | null;
  /** INTEGRATION for API writes (ours), CRM_UI for a person's edit */
  source: string | null;
  at: number;
}

/**
 * A Zoho record change as its notification reports it. Zoho gathers changes for a short window before notifying, so
 * `at` (the notification's server_time) is at most that window (the simulator's notifyBatchMs, 50 ms by default)
 * later than the write itself: figures derived from it are upper bounds.
 */
export interface ZohoChange {
  module: string;
  operation: string;
  id: string;
  fields: string[];
  at: number;
}

const HubspotEventSchema = z.looseObject({
  subscriptionType: z.string(),
  objectId: z.union([z.number(), z.string()]).optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
  occurredAt: z.number(),
});

const ZohoNotificationSchema = z.looseObject({
  server_time: z.number(),
  module: z.string(),
  operation: z.string(),
  ids: z.array(z.union([z.string(), z.number()]).transform(String)),
  affected_fields: z.array(z.union([z.string(), z.record(z.string(), z.array(z.string()))])).optional(),
});

interface Waiter<T> {
  match: (change: T) => boolean;
  resolve: (change: T | null) => void;
  timer: NodeJS.Timeout;
}

/** Waiters keyed by record, fed by the webhook tap: "tell me when this record shows this change". */
export class ChangeWatch implements TapObserver {
  private readonly hubspotWaiters = new Map<string, Waiter<HubspotChange>[]>();
  /** keyed by object, property and value instead: for records whose id the benchmark cannot know yet */
  private readonly hubspotValueWaiters = new Map<string, Waiter<HubspotChange>[]>();
  private readonly zohoWaiters = new Map<string, Waiter<ZohoChange>[]>();
  /** Zoho inserts are remembered: a create is often notified before the benchmark learns the new record's id */
  private readonly zohoInserts = new Map<string, number>();

  wantsHubspot(): boolean {
    return this.hubspotWaiters.size > 0 || this.hubspotValueWaiters.size > 0;
  }

  hubspot(events: unknown[]): void {
    for (const raw of events) {
      const parsed = HubspotEventSchema.safeParse(raw);
      if (!parsed.success || parsed.data.objectId === undefined) continue;
      const [object = '', kind = ''] = parsed.data.subscriptionType.split('.');
      const change: HubspotChange = {
        object,
        id: String(parsed.data.objectId),
        kind,
        property: parsed.data.propertyName ?? null,
        value: parsed.data.propertyValue ?? null,
        source: parsed.data.changeSource ?? null,
        at: parsed.data.occurredAt,
      };
      settle(this.hubspotWaiters, `${object}:${change.id}`, change);
      if (change.property !== null) settle(this.hubspotValueWaiters, valueKey(object, change.property, change.value ?? ''), change);
    }
  }

  zoho(notification: unknown): void {
    const parsed = ZohoNotificationSchema.safeParse(notification);
    if (!parsed.success) return;
    const { module, operation, ids, server_time: at } = parsed.data;
    const fieldsById = new Map<string, string[]>();
    for (const entry of parsed.data.affected_fields ?? []) {
      if (typeof entry === 'string') continue;
      for (const [id, fields] of Object.entries(entry)) fieldsById.set(id, fields);
    }
    for (const id of ids) {
      if (operation === 'insert' && !this.zohoInserts.has(`${module}:${id}`)) this.zohoInserts.set(`${module}:${id}`, at);
      settle(this.zohoWaiters, `${module}:${id}`, { module, operation, id, fields: fieldsById.get(id) ?? [], at });
    }
  }

  /** When Zoho notified the insert of this record, waiting up to timeoutMs for the notification. */
  async zohoInsertedAt(module: 'Contacts' | 'Accounts', id: string, timeoutMs: number): Promise<number | null> {
    const known = this.zohoInserts.get(`${module}:${id}`);
    if (known !== undefined) return known;
    const change = await this.waitForZoho(module, id, (c) => c.operation === 'insert', timeoutMs);
    return change?.at ?? null;
  }

  /** Resolves with the first HubSpot change of `object:id` that matches, or null after timeoutMs. */
  waitForHubspot(object: 'contact' | 'company' | 'deal', id: string, match: (change: HubspotChange) => boolean, timeoutMs: number): Promise<HubspotChange | null> {
    return enqueue(this.hubspotWaiters, `${object}:${id}`, match, timeoutMs);
  }

  /**
   * The first HubSpot change that writes `value` into `property` of any `object`, or null after timeoutMs: how a
   * record created by sync shows up (HubSpot notifies each property set at creation, so a new deal's cross-reference
   * to its purchase arrives with HubSpot's stamp of the create), before the benchmark could know its id.
   */
  waitForHubspotValue(object: 'contact' | 'company' | 'deal', property: string, value: string, timeoutMs: number): Promise<HubspotChange | null> {
    return enqueue(this.hubspotValueWaiters, valueKey(object, property, value), () => true, timeoutMs);
  }

  waitForZoho(module: 'Contacts' | 'Accounts', id: string, match: (change: ZohoChange) => boolean, timeoutMs: number): Promise<ZohoChange | null> {
    return enqueue(this.zohoWaiters, `${module}:${id}`, match, timeoutMs);
  }
}

function valueKey(object: string, property: string, value: string): string {
  return `${object}:${property}=${value}`;
}

function enqueue<T>(waiters: Map<string, Waiter<T>[]>, key: string, match: (change: T) => boolean, timeoutMs: number): Promise<T | null> {
  return new Promise((resolve) => {
    const waiter: Waiter<T> = {
      match,
      resolve,
      timer: setTimeout(() => {
        remove(waiters, key, waiter);
        resolve(null);
      }, timeoutMs),
    };
    waiters.set(key, [...(waiters.get(key) ?? []), waiter]);
  });
}

function settle<T>(waiters: Map<string, Waiter<T>[]>, key: string, change: T): void {
  const list = waiters.get(key);
  if (!list) return;
  for (const waiter of [...list]) {
    if (!waiter.match(change)) continue;
    clearTimeout(waiter.timer);
    remove(waiters, key, waiter);
    waiter.resolve(change);
  }
}

function remove<T>(waiters: Map<string, Waiter<T>[]>, key: string, waiter: Waiter<T>): void {
  const rest = (waiters.get(key) ?? []).filter((w) => w !== waiter);
  if (rest.length) waiters.set(key, rest);
  else waiters.delete(key);
}
