import express, { type Request, type Router } from 'express';
import { RollingWindow } from '../common/rolling-window';
import { route } from '../common/route';
import type { ZohoContext } from './context';
import { parseMultipartFields } from './multipart';
import type { TokenStore } from './token-store';

const THROTTLE_BODIES = {
  'too-many-requests': {
    error_description: 'You have made too many requests continuously. Please try again after some time.',
    error: 'Access Denied',
    status: 'failure',
  },
  'throttle-limit': {
    error_description: 'Token creation throttle limit reached. Please reuse the valid tokens you currently have.',
    error: 'Access Denied',
  },
} as const;

/** Zoho accepts the parameters in the query string (docs), urlencoded or multipart bodies (SDK). */
function tokenParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (source: unknown): void => {
    if (typeof source !== 'object' || source === null || Buffer.isBuffer(source)) return;
    for (const [k, v] of Object.entries(source)) if (typeof v === 'string') out[k] = v;
  };
  put(req.query);
  put(req.body);
  if (Buffer.isBuffer(req.body)) Object.assign(out, parseMultipartFields(req.body, req.get('content-type') ?? ''));
  return out;
}

/**
 * POST /oauth/v2/token (Zoho Accounts). Failures answer HTTP 200 with an `error` body, as Zoho does;
 * the throttle answer's status is configurable because sources disagree (200 vs 400).
 */
export function registerOauthRoutes(router: Router, ctx: ZohoContext, tokens: TokenStore, throttle: RollingWindow): void {
  router.use('/oauth/v2/token', express.raw({ type: 'multipart/form-data', limit: '1mb' }));
  route(router, 'post', '/oauth/v2/token', (req, res) => {
    const { options } = ctx;
    const p = tokenParams(req);
    if (p.grant_type !== 'refresh_token') {
      res.status(200).json({ error: p.grant_type ? 'unsupported_grant_type' : 'invalid_request' });
      return;
    }
    if (p.client_id !== options.clientId) {
      res.status(200).json({ error: 'invalid_client' });
      return;
    }
    if (p.client_secret !== options.clientSecret) {
      res.status(200).json({ error: 'invalid_client_secret' });
      return;
    }
    if (!p.refresh_token || p.refresh_token !== options.refreshToken) {
      res.status(200).json({ error: 'invalid_code' });
      return;
    }
    throttle.resize(options.tokenRequestsPer10Min, options.tokenThrottleWindowMs);
    if (!throttle.admit(p.refresh_token).admitted) {
      res.status(options.tokenThrottleStatus).json(THROTTLE_BODIES[options.tokenThrottleBody]);
      return;
    }
    const accessToken = tokens.issue(p.refresh_token, options.accessTokenTtlSeconds);
    ctx.stats.tokenIssued();
    res.status(200).json({
      access_token: accessToken,
      scope: options.scope,
      api_domain: ctx.apiDomain(),
      token_type: 'Bearer',
      expires_in: options.accessTokenTtlSeconds,
    });
  });
}

export function createTokenThrottle(ctx: ZohoContext): RollingWindow {
  return new RollingWindow(ctx.options.tokenRequestsPer10Min, ctx.options.tokenThrottleWindowMs);
}
