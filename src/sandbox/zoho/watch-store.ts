import { type ZohoErrorBody, zohoError } from './errors';
import { type ModuleName, resolveModule } from './fields';
import { parseZohoTime } from './time';

export type WatchAction = 'create' | 'edit' | 'delete' | 'all';

export interface Channel {
  channel_id: string;
  /** Canonical "Module.action" strings. */
  events: string[];
  notify_url: string;
  token: string | null;
  expiresAt: number;
  return_affected_field_values: boolean;
  notify_on_related_action: boolean;
  notification_condition: unknown;
}

export interface WatchLimits {
  maxTokenLength: number;
  defaultExpiryMs: number;
  maxExpiryMs: number;
}

export function parseEvent(raw: unknown): { module: ModuleName; action: WatchAction } | null {
  if (typeof raw !== 'string') return null;
  const [m = '', a = ''] = raw.split('.');
  const module = resolveModule(m);
  const action = (['create', 'edit', 'delete', 'all'] as const).find((x) => x === a.toLowerCase());
  return module && action ? { module, action } : null;
}

export function channelModules(channel: Channel): ModuleName[] {
  return [...new Set(channel.events.map((e) => parseEvent(e)?.module).filter((m): m is ModuleName => m !== undefined))];
}

const OPERATION_ACTION = { insert: 'create', update: 'edit', delete: 'delete' } as const;

export function channelWants(channel: Channel, module: ModuleName, operation: keyof typeof OPERATION_ACTION): boolean {
  return channel.events.some((e) => {
    const parsed = parseEvent(e);
    return parsed?.module === module && (parsed.action === 'all' || parsed.action === OPERATION_ACTION[operation]);
  });
}

function field(index: number, name: string): { api_name: string; json_path: string } {
  return { api_name: name, json_path: `$.watch[${index}].${name}` };
}

/**
 * Validates one `watch[]` item. `base` is the existing channel for PATCH-like merges; fields absent from the
 * item keep their value there. Expiry: absent or beyond the maximum → the default (1 h), as Zoho documents.
 */
export function buildChannel(
  item: unknown,
  index: number,
  limits: WatchLimits,
  base: Channel | null,
  mergeEvents: boolean,
): { ok: true; channel: Channel } | { ok: false; error: ZohoErrorBody } {
  const fail = (code: string, message: string, name: string, extra: Record<string, unknown> = {}) =>
    ({ ok: false, error: zohoError(code, message, { ...field(index, name), ...extra }) }) as const;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return fail('INVALID_DATA', 'invalid data', 'watch');
  const get = (k: string): unknown => Reflect.get(item, k);
  const rawId = get('channel_id');
  if (typeof rawId !== 'string' && typeof rawId !== 'number') return fail('MANDATORY_NOT_FOUND', 'required field not found', 'channel_id');
  const channelId = String(rawId);
  if (channelId.length === 0 || channelId.length > 64) return fail('INVALID_DATA', 'invalid data', 'channel_id');

  const rawEvents = get('events');
  let events = base?.events ?? [];
  if (rawEvents !== undefined) {
    if (!Array.isArray(rawEvents) || rawEvents.length === 0 || rawEvents.length > 50) return fail('INVALID_DATA', 'invalid data', 'events');
    const parsed = rawEvents.map(parseEvent);
    if (parsed.some((p) => p === null)) return fail('INVALID_DATA', 'invalid data', 'events');
    const canonical = parsed.flatMap((p) => (p ? [`${p.module}.${p.action}`] : []));
    events = mergeEvents ? [...new Set([...events, ...canonical])] : canonical;
  }
  if (events.length === 0) return fail('MANDATORY_NOT_FOUND', 'required field not found', 'events');

  const rawUrl = get('notify_url') ?? base?.notify_url;
  if (typeof rawUrl !== 'string' || rawUrl === '') return fail('MANDATORY_NOT_FOUND', 'required field not found', 'notify_url');
  if (!/^https?:\/\//i.test(rawUrl) || !URL.canParse(rawUrl)) return fail('INVALID_DATA', 'invalid data', 'notify_url');

  const rawToken = get('token');
  const token = rawToken === undefined ? (base?.token ?? null) : rawToken;
  if (token !== null && (typeof token !== 'string' || token.length > limits.maxTokenLength)) {
    return fail('INVALID_DATA', 'invalid data', 'token', { maximum_length: limits.maxTokenLength });
  }

  const now = Date.now();
  const rawExpiry = get('channel_expiry');
  let expiresAt = base && rawExpiry === undefined ? base.expiresAt : now + limits.defaultExpiryMs;
  if (rawExpiry !== undefined && rawExpiry !== null) {
    const ms = typeof rawExpiry === 'string' ? parseZohoTime(rawExpiry) : null;
    if (ms === null || ms <= now) return fail('INVALID_DATA', 'invalid data', 'channel_expiry');
    expiresAt = ms > now + limits.maxExpiryMs ? now + limits.defaultExpiryMs : ms;
  }
  const flag = (k: string, fallback: boolean): boolean => {
    const v = get(k);
    return typeof v === 'boolean' ? v : fallback;
  };
  return {
    ok: true,
    channel: {
      channel_id: channelId,
      events,
      notify_url: rawUrl,
      token,
      expiresAt,
      return_affected_field_values: flag('return_affected_field_values', base?.return_affected_field_values ?? false),
      notify_on_related_action: flag('notify_on_related_action', base?.notify_on_related_action ?? true),
      notification_condition: get('notification_condition') ?? base?.notification_condition ?? null,
    },
  };
}

/** Active channels by id; expired ones vanish on the next read, like Zoho's silent expiry. */
export class ChannelStore {
  private readonly channels = new Map<string, Channel>();

  get(id: string): Channel | undefined {
    const c = this.channels.get(id);
    if (c && c.expiresAt <= Date.now()) {
      this.channels.delete(id);
      return undefined;
    }
    return c;
  }

  active(): Channel[] {
    const now = Date.now();
    for (const [id, c] of this.channels) if (c.expiresAt <= now) this.channels.delete(id);
    return [...this.channels.values()];
  }

  set(channel: Channel): void {
    this.channels.set(channel.channel_id, channel);
  }

  delete(id: string): boolean {
    return this.channels.delete(id);
  }

  clear(): void {
    this.channels.clear();
  }

  all(): Channel[] {
    return [...this.channels.values()];
  }
}
