import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { route } from '../common/route';
import type { SimContext } from './context';
import { sendJson } from './errors';
import { faultGuard } from './guards';

const form = (body: unknown, key: string): string | undefined => {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = Reflect.get(body, key);
  return typeof value === 'string' ? value : undefined;
};

/**
 * POST /oauth/v1/token (form-encoded, no Authorization header). Only the refresh_token grant is served:
 * the sandbox starts "installed", with the configured refresh token already valid.
 */
export function oauthRoutes(ctx: SimContext): Router {
  const router = Router();
  route(router, 'post', '/oauth/v1/token', (req, res) => {
    const { options } = ctx;
    const body: unknown = req.body;
    const grant = form(body, 'grant_type');
    if (form(body, 'client_id') !== options.clientId || form(body, 'client_secret') !== options.clientSecret) {
      sendJson(res, 400, { status: 'BAD_CLIENT_ID', message: 'missing or unknown client id', correlationId: randomUUID() });
      return;
    }
    if (grant !== 'refresh_token') {
      sendJson(res, 400, { status: 'BAD_GRANT_TYPE', message: `unsupported grant_type: ${grant ?? '(missing)'}`, correlationId: randomUUID() });
      return;
    }
    const refresh = form(body, 'refresh_token');
    if (!refresh || !ctx.tokens.isRefreshToken(refresh)) {
      sendJson(res, 400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token', correlationId: randomUUID() });
      return;
    }
    const issued = ctx.tokens.issue(refresh, options.accessTokenTtlSeconds, options.rotateRefreshToken);
    ctx.stats.tokenIssued();
    sendJson(res, 200, {
      token_type: 'bearer',
      refresh_token: issued.refreshToken,
      access_token: issued.accessToken,
      expires_in: options.accessTokenTtlSeconds,
      token_use: 'access_token',
      hub_id: options.portalId,
    });
  }, [faultGuard(ctx)]);
  return router;
}
