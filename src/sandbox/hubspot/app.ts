import express, { type Express, type Request } from 'express';
import { snapshotMiddleware } from '../common/snapshot-writer';
import { statsMiddleware } from '../common/stats';
import { adminRoutes } from './admin-routes';
import { associationsRoutes } from './associations-routes';
import { batchRoutes } from './batch-routes';
import type { SimContext } from './context';
import { errorHandler, routeNotFound } from './errors';
import { oauthRoutes } from './oauth-routes';
import { objectsRoutes } from './objects-routes';
import { pipelinesRoutes } from './pipelines-routes';
import { propertiesRoutes } from './properties-routes';
import { searchRoutes } from './search-routes';
import { uiRoutes } from './ui-routes';

const isAdmin = (req: Request): boolean => req.path === '/_sim' || req.path.startsWith('/_sim/');

/**
 * Every request is counted; faults, authentication and rate limits are per-route guards (see guards.ts)
 * so that refused calls are still counted under their route pattern.
 */
export function buildApp(ctx: SimContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(statsMiddleware(ctx.stats, isAdmin));
  if (ctx.snapshots) app.use(snapshotMiddleware(ctx.snapshots));
  app.use(express.json({ limit: '25mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(oauthRoutes(ctx));
  app.use(searchRoutes(ctx));
  app.use(batchRoutes(ctx));
  app.use(objectsRoutes(ctx));
  app.use(propertiesRoutes(ctx));
  app.use(pipelinesRoutes(ctx));
  app.use(associationsRoutes(ctx));
  app.use(uiRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}
