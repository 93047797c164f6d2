import type { RequestHandler, Router } from 'express';
import { faultMiddleware } from '../common/faults';
import { route, type Handler } from '../common/route';
import { authMiddleware } from './auth';
import type { SimContext } from './context';
import { HubspotError, sendError, sendJson } from './errors';
import { tenSecondlyBody } from './rate-limit';

type Method = Parameters<typeof route>[1];

/** Injected failures, in the order a real outage would be felt. Never applied to /_sim routes. */
export function faultGuard(ctx: SimContext): RequestHandler {
  return faultMiddleware(ctx.faults, {
    isExempt: () => false,
    respond(kind, res, status) {
      if (kind === 'rateLimit') sendJson(res, 429, tenSecondlyBody(ctx.options.appId));
      else sendError(res, new HubspotError(status, kind === 'outage' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR', kind === 'outage' ? 'Service Unavailable' : 'internal error'));
    },
  });
}

/** Registers a real-API route behind faults, OAuth authentication and rate limits. */
export function apiRoute(ctx: SimContext): (router: Router, method: Method, path: string, handler: Handler) => void {
  const guards = [faultGuard(ctx), authMiddleware(ctx.tokens), ctx.limits.middleware(ctx.options.appId)];
  return (router, method, path, handler) => route(router, method, path, handler, guards);
}
