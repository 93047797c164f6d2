import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { bearerTokenChecker } from '../runtime/bearer-token';

/** Prometheus text from every source of this process, behind the admin bearer token. */
export function metricsRoute(adminToken: string, registries: Registry[], extraSources: (() => Promise<string>)[] = []): Router {
  const router = express.Router();
  const authorized = bearerTokenChecker(adminToken);
  router.get('/metrics', async (req, res) => {
    if (!authorized(req.get('authorization'))) {
      res.status(401).json({ error: 'missing or invalid bearer token' });
      return;
    }
    const bodies = await Promise.all([...registries.map((registry) => registry.metrics()), ...extraSources.map((source) => source().catch(() => ''))]);
    res.type('text/plain; version=0.0.4').send(bodies.filter(Boolean).join('\n'));
  });
  return router;
}
