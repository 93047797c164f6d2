import { BATCH_LIMIT } from './types';

/** Consecutive slices of at most `size` items (the CRMs' batch limits). */
export function chunks<T>(items: T[], size = BATCH_LIMIT): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Indexes of the inputs whose key was already used by an earlier input: both CRMs refuse (HubSpot) or silently
 * merge (Zoho upsert) two inputs with the same unique key in one batch. Inputs without a key never collide.
 */
export function repeatedKeys<T>(items: T[], keyOf: (item: T) => string | null): Set<number> {
  const seen = new Set<string>();
  const repeated = new Set<number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === null) return;
    if (seen.has(key)) repeated.add(index);
    seen.add(key);
  });
  return repeated;
}
