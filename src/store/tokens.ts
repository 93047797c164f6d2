import { z } from 'zod';
import type { SystemName } from '../domain/records';
import type { Database, Queryable } from './db';
import { SystemColumn } from './rows';
import type { StoredToken } from './types';

// Tokens are stored as given (no encryption at rest: protect the database and its backups instead).
// Nothing here logs, and the drivers strip bound parameters from errors, so token values never reach a log.

const TokenRow = z.object({
  system: SystemColumn,
  access_token: z.string().nullable(),
  refresh_token: z.string().nullable(),
  expires_at: z.coerce.number().nullable(),
});

/** A placeholder row (inserted only to have something to lock) reads as "no token". */
function toToken(row: unknown): StoredToken | null {
  const parsed = TokenRow.parse(row);
  if (parsed.access_token === null || parsed.refresh_token === null || parsed.expires_at === null) return null;
  return {
    system: parsed.system,
    accessToken: parsed.access_token,
    refreshToken: parsed.refresh_token,
    expiresAt: parsed.expires_at,
  };
}

const SELECT = 'SELECT system, access_token, refresh_token, expires_at FROM oauth_tokens WHERE system = $1';

export async function getToken(db: Queryable, system: SystemName): Promise<StoredToken | null> {
  const rows = await db.query(SELECT, [system]);
  return rows[0] === undefined ? null : toToken(rows[0]);
}

/**
 * Single-flight refresh across processes: the row lock (FOR UPDATE) makes every other caller wait until we
 * commit, and they then read the token we stored. The placeholder insert guarantees a row to lock on first
 * use; a concurrent first inserter makes ours wait for its commit, then do nothing.
 * `refresh` runs inside the transaction and must not call the store (guarded: it would deadlock).
 */
export async function withTokenLock(
  db: Database,
  system: SystemName,
  refresh: (current: StoredToken | null) => Promise<StoredToken>,
): Promise<StoredToken> {
  return db.transaction(async (tx) => {
    await tx.query('INSERT INTO oauth_tokens (system) VALUES ($1) ON CONFLICT (system) DO NOTHING', [system]);
    const rows = await tx.query(`${SELECT} FOR UPDATE`, [system]);
    const next = await refresh(rows[0] === undefined ? null : toToken(rows[0]));
    if (next.system !== system) throw new Error(`token refresh for ${system} returned a ${next.system} token`);
    await tx.query(
      `UPDATE oauth_tokens SET access_token = $2, refresh_token = $3, expires_at = $4, updated_at = now()
       WHERE system = $1`,
      [system, next.accessToken, next.refreshToken, next.expiresAt],
    );
    return next;
  });
}
