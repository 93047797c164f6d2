import type { Router } from 'express';
import { z } from 'zod';
import { route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { ZohoHttpError, zohoError } from './errors';
import { seed } from './seed';

const SeedBody = z.object({
  contacts: z.number().int().min(0).max(1_000_000).default(0),
  companies: z.number().int().min(0).max(1_000_000).default(0),
  seed: z.number().int().default(1),
  leadStatus: z.string().min(1).optional(),
});

export interface AdminHooks {
  reset(): void;
  drain(): Promise<void>;
  expireTokens(): void;
  snapshot(): Promise<void>;
}

function badBody(error: unknown): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('INVALID_DATA', error instanceof Error ? error.message : String(error)));
}

/** /_sim/*: sandbox controls. Never authenticated, rate limited, fault-injected or counted in stats. */
export function registerAdminRoutes(router: Router, ctx: ZohoContext, hooks: AdminHooks): void {
  route(router, 'post', '/_sim/reset', (_req, res) => {
    hooks.reset();
    res.status(204).end();
  });

  route(router, 'post', '/_sim/seed', (req, res) => {
    const parsed = SeedBody.safeParse(req.body ?? {});
    if (!parsed.success) throw badBody(parsed.error);
    res.status(200).json(seed(ctx.data, parsed.data, ctx.options.seedEpoch));
  });

  // Every record, deleted ones included and flagged "$deleted": true (with "$deleted_time").
  route(router, 'get', '/_sim/records/:module', (req, res) => {
    const module = moduleParam(req);
    const store = ctx.data.store(module);
    const live = store.all().map((r) => ctx.view.flat(r));
    const gone = [...store.deletedRecords()].map((r) => ({ ...ctx.view.flat(r), $deleted: true, $deleted_time: ctx.view.time(r.deletedMs ?? r.modifiedMs) }));
    res.json([...live, ...gone]);
  });

  route(router, 'get', '/_sim/stats', (_req, res) => {
    res.json(ctx.stats.snapshot());
  });
  route(router, 'post', '/_sim/stats/reset', (_req, res) => {
    ctx.stats.reset();
    res.status(204).end();
  });

  route(router, 'get', '/_sim/faults', (_req, res) => {
    res.json(ctx.faults.get());
  });
  route(router, 'post', '/_sim/faults', (req, res) => {
    try {
      res.json(ctx.faults.update(req.body));
    } catch (error) {
      throw badBody(error);
    }
  });
  route(router, 'delete', '/_sim/faults', (_req, res) => {
    ctx.faults.clear();
    res.status(204).end();
  });

  // Resolves once every pending notification has been delivered or given up on.
  route(router, 'post', '/_sim/webhooks/drain', async (_req, res) => {
    await hooks.drain();
    res.status(204).end();
  });

  route(router, 'post', '/_sim/oauth/expire-tokens', (_req, res) => {
    hooks.expireTokens();
    res.status(204).end();
  });

  route(router, 'post', '/_sim/snapshot', async (_req, res) => {
    if (!ctx.options.snapshotFile) throw new ZohoHttpError(400, zohoError('INVALID_DATA', 'No snapshotFile configured'));
    await hooks.snapshot();
    res.status(204).end();
  });
}
