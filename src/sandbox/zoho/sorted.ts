/** First index whose item is not "before" the probe (binary search over an ascending array). */
export function lowerBound<T>(items: readonly T[], isBefore: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid];
    if (item !== undefined && isBefore(item)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sort key used by list paging and COQL: a time (ms, 0 for id order) plus the id as tie-breaker. */
export interface SortKey {
  ms: number;
  id: string;
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
