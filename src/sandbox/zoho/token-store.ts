import { randomBytes } from 'node:crypto';

interface IssuedToken {
  refreshToken: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; refreshToken: string } | { ok: false };

/**
 * Access tokens minted from refresh tokens. Zoho keeps at most 15 live access tokens per refresh token;
 * minting one more silently invalidates the oldest, which then answers INVALID_TOKEN.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly byRefresh = new Map<string, string[]>();

  constructor(private readonly maxActive: () => number) {}

  issue(refreshToken: string, ttlSeconds: number): string {
    const token = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, { refreshToken, expiresAt: Date.now() + ttlSeconds * 1000 });
    const live = (this.byRefresh.get(refreshToken) ?? []).filter((t) => this.tokens.has(t));
    live.push(token);
    while (live.length > this.maxActive()) {
      const oldest = live.shift();
      if (oldest) this.tokens.delete(oldest);
    }
    this.byRefresh.set(refreshToken, live);
    return token;
  }

  check(token: string): TokenCheck {
    const found = this.tokens.get(token);
    if (!found) return { ok: false };
    if (found.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return { ok: false };
    }
    return { ok: true, refreshToken: found.refreshToken };
  }

  /** Every issued token expires now (admin route), to exercise 401 handling without waiting. */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = Date.now();
  }
}
