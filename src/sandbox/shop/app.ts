import express, { type Express, type Request, type Response } from 'express';
import { snapshotMiddleware } from '../common/snapshot-writer';
import { statsMiddleware } from '../common/stats';
import { adminRoutes } from './admin-routes';
import { apiRoutes } from './api-routes';
import type { ShopContext } from './context';
import { errorHandler, sendError } from './errors';
import { uiRoutes } from './ui-routes';

const isAdmin = (req: Request): boolean => req.path === '/_sim' || req.path.startsWith('/_sim/');

export function buildApp(ctx: ShopContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(statsMiddleware(ctx.http, isAdmin));
  app.use(express.json({ limit: '5mb' }));
  // Seeding and reset write the tables without a change event.
  if (ctx.snapshots) app.use(snapshotMiddleware(ctx.snapshots));
  app.use(apiRoutes(ctx));
  app.use(uiRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use((req: Request, res: Response) => sendError(res, 404, 'not_found', `No route ${req.method} ${req.path}`));
  app.use(errorHandler);
  return app;
}
