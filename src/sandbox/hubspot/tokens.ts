import { randomBytes } from 'node:crypto';

interface AccessToken {
  expiresAt: number;
  refreshToken: string;
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'missing' | 'unknown' } | { ok: false; reason: 'expired'; expiredAt: number };

/** Access and refresh tokens the simulator issued; only these authenticate CRM calls. */
export class TokenStore {
  private access = new Map<string, AccessToken>();
  private refresh = new Set<string>();

  constructor(
    initialRefreshToken: string,
    private readonly now: () => number = Date.now,
  ) {
    this.refresh.add(initialRefreshToken);
  }

  isRefreshToken(token: string): boolean {
    return this.refresh.has(token);
  }

  /** Issues an access token for a known refresh token; optionally rotates the refresh token. */
  issue(refreshToken: string, ttlSeconds: number, rotate: boolean): { accessToken: string; refreshToken: string } {
    // HubSpot access tokens look like "CNb..." base64url blobs of a few hundred chars; length is irrelevant here.
    const accessToken = `CO${randomBytes(24).toString('base64url')}`;
    let refresh = refreshToken;
    if (rotate) {
      this.refresh.delete(refreshToken);
      refresh = `${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`;
      this.refresh.add(refresh);
    }
    this.access.set(accessToken, { expiresAt: this.now() + ttlSeconds * 1000, refreshToken: refresh });
    return { accessToken, refreshToken: refresh };
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const found = this.access.get(token);
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.expiresAt <= this.now()) return { ok: false, reason: 'expired', expiredAt: found.expiresAt };
    return { ok: true };
  }

  /** Test hook: every issued access token expires now. */
  expireAll(): void {
    const now = this.now();
    for (const token of this.access.values()) token.expiresAt = Math.min(token.expiresAt, now);
  }

  /** Forgets access tokens (reset); refresh tokens stay valid, as an app installation would. */
  clearAccess(): void {
    this.access.clear();
  }
}
