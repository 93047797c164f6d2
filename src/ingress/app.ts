import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Connection } from '@temporalio/client';
import { healthRoutes } from './health-routes';
import { hubspotWebhookRoute } from './hubspot-webhook-route';
import type { IngressDeps } from './ingress-deps';
import { zohoNotificationRoute } from './zoho-notification-route';

export interface ApiAppOptions extends IngressDeps {
  connection: Connection;
  namespace: string;
  /** extra routers mounted after ours (sandbox mail listing, codec server, metrics) */
  extraRouters?: Router[];
}

/** The thin ingress: verify, hand each change to Temporal, answer. The one CRM call is the Zoho echo check. */
export function createApiApp(options: ApiAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    if (req.path === '/webhooks/hubspot') options.metrics.received('hubspot');
    if (req.path === '/webhooks/zoho') options.metrics.received('zoho');
    next();
  });
  app.use(healthRoutes(options.connection, options.namespace));
  app.use(hubspotWebhookRoute(options));
  app.use(zohoNotificationRoute(options));
  for (const router of options.extraRouters ?? []) app.use(router);
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use(jsonErrors(options));
  return app;
}

/** Body-parser errors (413, bad encoding) and anything unexpected still answer JSON. */
function jsonErrors(options: ApiAppOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
    const reason = status === 413 ? 'payload too large' : status < 500 ? 'bad request' : 'internal error';
    if (status >= 500) options.logger.error({ err: error, path: req.path }, 'request failed');
    if (req.path === '/webhooks/hubspot') options.metrics.rejected('hubspot', reason);
    if (req.path === '/webhooks/zoho') options.metrics.rejected('zoho', reason);
    res.status(status).json({ error: reason });
  };
}
