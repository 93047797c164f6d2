import { Router } from 'express';
import { param, route } from '../common/route';
import { resetContext, type ShopContext } from './context';
import { invalid, notFound } from './errors';
import { parseCollection } from './records';
import { seed, SeedRequest } from './seed';
import { statsSnapshot } from './stats';

/** /_sim/*: test and sandbox controls, in the CRM simulators' shapes. Never authenticated, fault-injected or counted. */
export function adminRoutes(ctx: ShopContext): Router {
  const router = Router();

  route(router, 'post', '/_sim/reset', (_req, res) => {
    resetContext(ctx);
    res.status(204).end();
  });

  route(router, 'post', '/_sim/seed', (req, res) => {
    res.json(seed(ctx.data, SeedRequest.parse(req.body ?? {})));
  });

  // Every record, deleted ones included (with deleted_at), with the CRM ids the shop was given.
  route(router, 'get', '/_sim/records/:collection', (req, res) => {
    const collection = parseCollection(param(req, 'collection'));
    if (!collection) throw notFound(`/_sim/records/${param(req, 'collection')}`);
    res.json([...ctx.data.tables[collection].all()]);
  });

  route(router, 'get', '/_sim/stats', (_req, res) => {
    res.json(statsSnapshot(ctx.http, ctx.messages));
  });
  route(router, 'post', '/_sim/stats/reset', (_req, res) => {
    ctx.http.reset();
    ctx.messages.reset();
    res.status(204).end();
  });

  route(router, 'get', '/_sim/faults', (_req, res) => {
    res.json(ctx.faults.get());
  });
  route(router, 'post', '/_sim/faults', (req, res) => {
    try {
      res.json(ctx.faults.update(req.body));
    } catch (error) {
      throw invalid(`Invalid faults: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  route(router, 'delete', '/_sim/faults', (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });

  // Resolves once every delayed, held or queued event and reply has been confirmed by the broker: lets tests await it.
  route(router, 'post', '/_sim/events/drain', async (_req, res) => {
    await ctx.outbox.idle();
    res.status(204).end();
  });

  return router;
}
