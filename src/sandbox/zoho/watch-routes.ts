import type { Response, Router } from 'express';
import { queryList, queryString, route } from '../common/route';
import type { ZohoContext } from './context';
import { ZohoHttpError, errors, zohoError } from './errors';
import { MODULE_IDS, resolveModule } from './fields';
import { intParam } from './params';
import { type Channel, type ChannelStore, buildChannel, channelModules, parseEvent } from './watch-store';
import { type ItemResult, batchStatus, failure, success } from './write-body';

const MESSAGES = {
  subscribed: 'Successfully subscribed for actions-watch of the given module',
  updated: 'Successfully updated the subscribe details',
  removed: 'Successfully removed the subscribe details',
  unsubscribed: 'Successfully un-subscribed from actions-watch',
};

function watchItems(body: unknown): unknown[] {
  const items: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'watch') : undefined;
  if (!Array.isArray(items) || items.length === 0) throw errors.bodyMandatory('watch');
  if (items.length > 50) throw errors.bodyLimit('watch', 50);
  return items;
}

function notSubscribed(channelId: string) {
  return zohoError('NOT_SUBSCRIBED', 'not subscribed for actions-watch of the given module', { channel_id: channelId });
}

/** POST/PUT/PATCH/DELETE/GET /crm/v8/actions/watch (Notifications API). */
export function registerWatchRoutes(router: Router, ctx: ZohoContext, channels: ChannelStore): void {
  const { options } = ctx;
  const limits = { maxTokenLength: options.maxWatchTokenLength, defaultExpiryMs: options.channelDefaultExpiryMs, maxExpiryMs: options.channelMaxExpiryMs };

  const resources = (c: Channel) =>
    channelModules(c).map((m) => ({
      channel_expiry: ctx.view.time(c.expiresAt),
      resource_uri: `${ctx.apiDomain()}/crm/v8/${m}`,
      resource_id: MODULE_IDS[m],
      resource_name: m,
      channel_id: c.channel_id,
    }));

  const reply = (res: Response, results: ItemResult[], allOk: number): void => {
    res.status(batchStatus(results, allOk)).json({ watch: results.map((r) => r.body) });
  };

  route(router, 'post', '/crm/v8/actions/watch', (req, res) => {
    const results = watchItems(req.body).map((item, i) => {
      const id: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, 'channel_id') : undefined;
      const existing = typeof id === 'string' || typeof id === 'number' ? channels.get(String(id)) : undefined;
      // Re-enabling an existing channel refreshes it and adds the events (how Zoho advises renewing).
      const built = buildChannel(item, i, limits, existing ? { ...existing, expiresAt: Date.now() + limits.defaultExpiryMs } : null, true);
      if (!built.ok) return failure(built.error);
      channels.set(built.channel);
      return success({ events: resources(built.channel) }, MESSAGES.subscribed);
    });
    reply(res, results, 201);
  });

  route(router, 'put', '/crm/v8/actions/watch', (req, res) => {
    const results = watchItems(req.body).map((item, i) => {
      const built = buildChannel(item, i, limits, null, false);
      if (!built.ok) return failure(built.error);
      if (!channels.get(built.channel.channel_id)) return failure(notSubscribed(built.channel.channel_id));
      channels.set(built.channel);
      return success({ events: resources(built.channel) }, MESSAGES.updated);
    });
    reply(res, results, 200);
  });

  route(router, 'patch', '/crm/v8/actions/watch', (req, res) => {
    const results = watchItems(req.body).map((item, i) => {
      const id: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, 'channel_id') : undefined;
      const existing = typeof id === 'string' || typeof id === 'number' ? channels.get(String(id)) : undefined;
      if (!existing) return failure(notSubscribed(typeof id === 'string' || typeof id === 'number' ? String(id) : ''));
      if (typeof item === 'object' && item !== null && Reflect.get(item, '_delete_events') === true) {
        const drop = new Set(
          [Reflect.get(item, 'events')].flat().flatMap((e) => {
            const p = parseEvent(e);
            return p ? [`${p.module}.${p.action}`] : [];
          }),
        );
        const remaining = existing.events.filter((e) => !drop.has(e));
        const before = resources(existing);
        if (remaining.length === 0) channels.delete(existing.channel_id);
        else channels.set({ ...existing, events: remaining });
        return success({ events: before }, MESSAGES.removed);
      }
      const built = buildChannel(item, i, limits, existing, true);
      if (!built.ok) return failure(built.error);
      channels.set(built.channel);
      return success({ events: resources(built.channel) }, MESSAGES.updated);
    });
    reply(res, results, 200);
  });

  route(router, 'delete', '/crm/v8/actions/watch', (req, res) => {
    const ids = queryList(req, 'channel_ids');
    if (ids.length === 0) throw errors.requiredParam('channel_ids');
    const results = ids.map((id) => {
      const channel = channels.get(id);
      if (!channel) return failure(notSubscribed(id));
      channels.delete(id);
      const first = resources(channel)[0];
      return success({ resource_uri: first?.resource_uri ?? null, resource_id: first?.resource_id ?? null, channel_id: id }, MESSAGES.unsubscribed);
    });
    reply(res, results, 200);
  });

  route(router, 'get', '/crm/v8/actions/watch', (req, res) => {
    const perPage = intParam(req, 'per_page', 200, 1, 200);
    const page = intParam(req, 'page', 1, 1, 1_000_000);
    const onlyId = queryString(req, 'channel_id');
    const rawModule = queryString(req, 'module');
    const module = rawModule ? resolveModule(rawModule) : null;
    if (rawModule && !module) throw new ZohoHttpError(400, zohoError('INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' }));
    const rows = channels
      .active()
      .filter((c) => !onlyId || c.channel_id === onlyId)
      .flatMap((c) =>
        channelModules(c)
          .filter((m) => !module || m === module)
          .map((m) => ({
            notify_on_related_action: c.notify_on_related_action,
            channel_expiry: ctx.view.time(c.expiresAt),
            resource_uri: `${ctx.apiDomain()}/crm/v8/${m}`,
            resource_id: MODULE_IDS[m],
            notify_url: c.notify_url,
            resource_name: m,
            channel_id: c.channel_id,
            events: c.events.filter((e) => e.startsWith(`${m}.`)),
            token: c.token,
            return_affected_field_values: c.return_affected_field_values,
          })),
      );
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    if (slice.length === 0) {
      res.status(204).end();
      return;
    }
    res.json({ watch: slice, info: { per_page: perPage, page, count: slice.length, more_records: rows.length > page * perPage } });
  });
}
