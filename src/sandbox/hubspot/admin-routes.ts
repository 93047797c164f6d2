import { Router } from 'express';
import { z } from 'zod';
import { param, queryList, queryString, route } from '../common/route';
import { resetContext, type SimContext } from './context';
import { sendJson, validation } from './errors';
import { parseObjectType, perType } from './object-types';
import { seed } from './seed';
import { livePartners } from './serialize';
import { fullRecord } from './ui-routes';
import { parseBody } from './validate';

const SeedBody = z.object({
  contacts: z.number().int().min(0).max(1_000_000).default(0),
  companies: z.number().int().min(0).max(1_000_000).default(0),
  seed: z.number().int().default(1),
});

/** /_sim/*: test and sandbox controls. Never rate limited, authenticated or fault-injected. */
export function adminRoutes(ctx: SimContext): Router {
  const router = Router();

  route(router, 'post', '/_sim/reset', (_req, res) => {
    resetContext(ctx);
    res.status(204).end();
  });

  route(router, 'post', '/_sim/seed', (req, res) => {
    sendJson(res, 200, seed(ctx, parseBody(SeedBody, req.body)));
  });

  // ?associations=true adds the ids of every live partner, per type ([] for types a record cannot link to);
  // ?history=a,b those properties' history, as the API's propertiesWithHistory gives it.
  route(router, 'get', '/_sim/records/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const withAssociations = queryString(req, 'associations') === 'true';
    const history = queryList(req, 'history');
    const partners = (id: string) =>
      perType((to) => livePartners(type, id, to, ctx.associations, ctx.stores).map((p) => p.toId).sort((a, b) => Number(a) - Number(b)));
    sendJson(res, 200, Array.from(ctx.stores[type].all(), (record) => ({
      ...fullRecord(type, record, history),
      ...(withAssociations ? { associations: partners(record.id) } : {}),
    })));
  });

  route(router, 'get', '/_sim/stats', (_req, res) => sendJson(res, 200, ctx.stats.snapshot()));
  route(router, 'post', '/_sim/stats/reset', (_req, res) => {
    ctx.stats.reset();
    res.status(204).end();
  });

  route(router, 'get', '/_sim/faults', (_req, res) => sendJson(res, 200, ctx.faults.get()));
  route(router, 'post', '/_sim/faults', (req, res) => {
    try {
      sendJson(res, 200, ctx.faults.update(req.body));
    } catch (error) {
      throw validation(`Invalid faults: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  route(router, 'delete', '/_sim/faults', (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });

  // Resolves once every queued webhook has been delivered or given up on: lets tests await delivery.
  route(router, 'post', '/_sim/webhooks/drain', async (_req, res) => {
    await ctx.webhooks.idle();
    res.status(204).end();
  });

  // Makes every issued access token expire now, to exercise 401 handling without waiting.
  route(router, 'post', '/_sim/oauth/expire-tokens', (_req, res) => {
    ctx.tokens.expireAll();
    res.status(204).end();
  });

  route(router, 'post', '/_sim/snapshot', async (_req, res) => {
    if (!ctx.snapshots) throw validation('No snapshotFile configured');
    await ctx.snapshots.flush();
    res.status(204).end();
  });

  return router;
}
