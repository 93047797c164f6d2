import { randomBytes } from 'node:crypto';
import { ZohoHttpError, zohoError } from './errors';
import type { SortKey } from './sorted';

interface PageToken {
  /** The request parameters the token is bound to (Zoho: changing them → TOKEN_BOUND_DATA_MISMATCH). */
  bound: string;
  after: SortKey;
  /** Records handed out before the page this token opens. */
  navigated: number;
  page: number;
  expiresAt: number;
}

/** Server-side page tokens: opaque to the client, bound to the query, valid for 24 h (configurable). */
export class PageTokens {
  private readonly tokens = new Map<string, PageToken>();

  constructor(private readonly ttlMs: () => number) {}

  issue(bound: string, after: SortKey, navigated: number, page: number): { token: string; expiresAt: number } {
    const now = Date.now();
    if (this.tokens.size > 10_000) for (const [k, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(k);
    const token = randomBytes(16).toString('hex');
    const expiresAt = now + this.ttlMs();
    this.tokens.set(token, { bound, after, navigated, page, expiresAt });
    return { token, expiresAt };
  }

  redeem(token: string, bound: string): PageToken {
    const found = this.tokens.get(token);
    if (!found || found.bound !== bound) {
      throw new ZohoHttpError(
        400,
        zohoError('TOKEN_BOUND_DATA_MISMATCH', 'The page_token given seems to be invalid or input param is added or altered or deleted', {
          param_name: 'page_token',
        }),
      );
    }
    if (found.expiresAt <= Date.now()) {
      throw new ZohoHttpError(
        400,
        zohoError('EXPIRED_VALUE', 'Page token expired', { api_name: 'page_token', json_path: '$.query.page_token' }),
      );
    }
    return found;
  }

  clear(): void {
    this.tokens.clear();
  }
}
