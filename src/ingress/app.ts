import express, { type ErrorRequestHandler, type Express, type Request, type Router } from 'express';
import type { Connection } from '@temporalio/client';
import type { Logger } from '../logger';
import type { SystemName } from '../domain/records';
import { healthRoutes, type PreparedCheck } from './health-routes';
import type { IngressMetrics } from './ingress-metrics';
import { ingressPath } from './ingress-path';

/** One system's ingress routes, mounted at ingressPath(system). */
export interface SystemIngress {
  system: SystemName;
  router: Router;
}

export interface ApiAppOptions {
  connection: Connection;
  namespace: string;
  logger: Logger;
  metrics: IngressMetrics;
  /** every registered system: /readyz wants a live worker on each one's task queue */
  systems: readonly SystemName[];
  /** /readyz waits for each system's prepare step (a notification channel registered) */
  prepared: readonly PreparedCheck[];
  /** /readyz wants every message listener connected to its broker */
  listeners?: readonly (() => string | null)[];
  ingresses: readonly SystemIngress[];
  /** extra routers mounted after ours (sandbox mail listing, codec server, metrics) */
  extraRouters?: Router[];
}

/** The thin ingress: verify, hand each change to Temporal, answer. */
export function createApiApp(options: ApiAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes({ connection: options.connection, namespace: options.namespace, systems: options.systems, prepared: options.prepared, listeners: options.listeners }));
  for (const { system, router } of options.ingresses) {
    app.use(ingressPath(system), (_req, _res, next) => {
      options.metrics.received(system);
      next();
    }, router);
  }
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
    const source = systemOf(req, options.ingresses);
    if (source !== undefined) options.metrics.rejected(source, reason);
    res.status(status).json({ error: reason });
  };
}

/** The system whose ingress a request was for (the mount point, whatever the router did to req.url). */
function systemOf(req: Request, ingresses: readonly SystemIngress[]): SystemName | undefined {
  const path = req.originalUrl.split('?')[0] ?? '';
  return ingresses.find(({ system }) => path === ingressPath(system) || path.startsWith(`${ingressPath(system)}/`))?.system;
}
