import { normaliseDomain, normaliseEmail } from '../domain/normalise';
import type { MatchKeys } from '../domain/records';

/** "Exact" company name match, forgiving only case and surrounding or repeated spaces. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Match keys in the form matchKeysOf produces, whatever form the caller passed. */
export function normaliseKeys(keys: MatchKeys): { email: string | null; domain: string | null; name: string | null } {
  return {
    email: keys.email ? normaliseEmail(keys.email) || null : null,
    domain: keys.domain ? normaliseDomain(keys.domain) || null : null,
    name: keys.name ? normaliseName(keys.name) || null : null,
  };
}

/** Orders numeric id strings (too long for Number) oldest first. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
