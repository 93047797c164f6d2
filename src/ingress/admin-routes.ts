import type { PayloadCodec } from '@temporalio/common';
import express, { type Router } from 'express';
import type { Registry } from 'prom-client';
import { createCodecRouter } from '../codec/codec-server';
import type { Logger } from '../logger';
import { metricsRoute } from './metrics-route';

export interface AdminRoutesOptions {
  adminToken: string;
  codec: PayloadCodec;
  uiOrigins: string[];
  /** every registry whose metrics this process serves (the API's, and the worker's when it runs here too) */
  registries: Registry[];
  /** other Prometheus text sources, e.g. the SDK's own exporter */
  extraMetrics?: (() => Promise<string>)[];
  logger: Logger;
}

/**
 * Admin surfaces, all behind the bearer token: the codec server for the Web UI and the CLI, and Prometheus metrics.
 * `/codec/ui/<token>` is the same codec server for a Web UI that cannot send headers (the dev server's UI): the
 * token travels in the path instead.
 */
export function adminRoutes(options: AdminRoutesOptions): Router {
  const router = express.Router();
  const codecRouter = createCodecRouter({ codec: options.codec, bearerToken: options.adminToken, allowedOrigins: options.uiOrigins, logger: options.logger });
  router.use('/codec/ui/:token', (req, res, next) => {
    if (req.method !== 'OPTIONS') req.headers.authorization = `Bearer ${String(req.params.token)}`;
    req.url = `/codec${req.url}`;
    codecRouter(req, res, next);
  });
  router.use(codecRouter);
  router.use(metricsRoute(options.adminToken, options.registries, options.extraMetrics));
  return router;
}
