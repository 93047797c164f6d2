import type { NextFunction, Request, Response } from 'express';
import { HubspotError, sendError } from './errors';
import type { TokenStore } from './tokens';

const AUTH_HEADERS = { 'x-hubspot-auth-failure': '401 Unauthorized' };
const NOT_FOUND_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

/** "expired 75 second(s) ago" for recent expiries, minutes after that, as HubSpot words it. */
function expiredMessage(agoMs: number): string {
  const seconds = Math.max(0, Math.round(agoMs / 1000));
  return seconds < 120
    ? `The OAuth token used to make this call expired ${seconds} second(s) ago.`
    : `The OAuth token used to make this call expired ${Math.floor(seconds / 60)} minute(s) ago.`;
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/** Only access tokens issued by this simulator's /oauth/v1/token authenticate CRM calls. */
export function authMiddleware(tokens: TokenStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const check = tokens.check(bearerToken(req));
    if (check.ok) {
      next();
      return;
    }
    if (check.reason === 'expired') {
      const context = { 'expire time': [new Date(check.expiredAt).toISOString()] };
      sendError(res, new HubspotError(401, 'EXPIRED_AUTHENTICATION', expiredMessage(Date.now() - check.expiredAt), { context }, AUTH_HEADERS));
      return;
    }
    sendError(res, new HubspotError(401, 'INVALID_AUTHENTICATION', NOT_FOUND_MESSAGE, {}, AUTH_HEADERS));
  };
}
