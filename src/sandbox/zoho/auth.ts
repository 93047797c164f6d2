import type { NextFunction, Request, Response } from 'express';
import { AUTH_FAILURE, INVALID_TOKEN } from './errors';
import type { TokenStore } from './token-store';

const PREFIX = 'zoho-oauthtoken ';

/** The access token a request authenticated with (set by authMiddleware). */
export function tokenOf(res: Response): string {
  const value: unknown = res.locals.zohoToken;
  return typeof value === 'string' ? value : '';
}

/**
 * `Authorization: Zoho-oauthtoken <token>`. No header → AUTHENTICATION_FAILURE; any other scheme
 * (e.g. Bearer), an unknown or an expired token → INVALID_TOKEN; both 401 with Zoho's bodies.
 */
export function authMiddleware(tokens: TokenStore, isExempt: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isExempt(req)) {
      next();
      return;
    }
    const header = req.get('authorization')?.trim() ?? '';
    if (header === '') {
      res.status(401).json(AUTH_FAILURE);
      return;
    }
    const token = header.toLowerCase().startsWith(PREFIX) ? header.slice(PREFIX.length).trim() : '';
    if (!token || !tokens.check(token).ok) {
      res.status(401).json(INVALID_TOKEN);
      return;
    }
    res.locals.zohoToken = token;
    next();
  };
}
