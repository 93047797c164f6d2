import express, { type Express, type Request } from 'express';
import { faultMiddleware } from '../common/faults';
import { statsMiddleware } from '../common/stats';
import { adminRoutes } from './admin-routes';
import { associationsRoutes } from './associations-routes';
import { authMiddleware } from './auth';
import { batchRoutes } from './batch-routes';
import type { SimContext } from './context';
import { errorHandler, HubspotError, routeNotFound, sendError, sendJson } from './errors';
import { oauthRoutes } from './oauth-routes';
import { objectsRoutes } from './objects-routes';
import { propertiesRoutes } from './properties-routes';
import { tenSecondlyBody } from './rate-limit';
import { searchRoutes } from './search-routes';
import { uiRoutes } from './ui-routes';

const isAdmin = (req: Request): boolean => req.path === '/_sim' || req.path.startsWith('/_sim/');
const isTokenEndpoint = (req: Request): boolean => req.path.startsWith('/oauth/');

/**
 * Middleware order mirrors where a real failure would happen: the request is counted, faults strike
 * before anything else, then authentication, then rate limits, then the handler.
 */
export function buildApp(ctx: SimContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(statsMiddleware(ctx.stats, isAdmin));
  app.use(
    faultMiddleware(ctx.faults, {
      isExempt: isAdmin,
      respond(kind, res, status) {
        if (kind === 'rateLimit') sendJson(res, 429, tenSecondlyBody(ctx.options.appId));
        else sendError(res, new HubspotError(status, kind === 'outage' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR', kind === 'outage' ? 'Service Unavailable' : 'internal error'));
      },
    }),
  );
  app.use(express.json({ limit: '25mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(authMiddleware(ctx.tokens, (req) => isAdmin(req) || isTokenEndpoint(req)));
  app.use(ctx.limits.middleware(ctx.options.appId, (req) => isAdmin(req) || isTokenEndpoint(req)));
  app.use(oauthRoutes(ctx));
  app.use(searchRoutes(ctx));
  app.use(batchRoutes(ctx));
  app.use(objectsRoutes(ctx));
  app.use(propertiesRoutes(ctx));
  app.use(associationsRoutes(ctx));
  app.use(uiRoutes(ctx));
  app.use(adminRoutes(ctx));
  app.use(routeNotFound);
  app.use(errorHandler);
  return app;
}
