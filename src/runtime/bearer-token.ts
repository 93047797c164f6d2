import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are hashed first so that the comparison
 * does not leak the token's length either.
 */
export function bearerTokenChecker(token: string): (header: string | undefined) => boolean {
  if (token.length === 0) throw new Error('a bearer token must not be empty');
  const expected = createHash('sha256').update(token).digest();
  return (header) => {
    const match = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
    const presented = match?.[1];
    if (presented === undefined) return false;
    return timingSafeEqual(createHash('sha256').update(presented).digest(), expected);
  };
}
