import type { PropertyDefinition } from './properties';
import type { IndexedDoc } from './search-index';

export const OPERATORS = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN',
  'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

type Kind = 'number' | 'time' | 'text';

export function kindOf(def: PropertyDefinition | undefined): Kind {
  if (def?.type === 'number') return 'number';
  if (def?.type === 'datetime' || def?.type === 'date') return 'time';
  return 'text';
}

/** Filter values for dates may be epoch milliseconds or ISO strings; stored values are ISO. */
export function comparable(kind: Kind, raw: string): number | string {
  if (kind === 'number') return Number(raw);
  if (kind === 'time') return /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return raw.trim().toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** HubSpot tokenises on whitespace and punctuation; `*` is a wildcard within a token or the whole value. */
function containsToken(stored: string, wanted: string): boolean {
  const value = stored.toLowerCase();
  const needle = wanted.trim().toLowerCase();
  if (needle.includes('*')) {
    const pattern = new RegExp(`^${needle.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return pattern.test(value) || value.split(/[\s,;]+/).some((token) => pattern.test(token));
  }
  if (value === needle) return true;
  const tokens = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const wantedTokens = needle.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return wantedTokens.length > 0 && wantedTokens.every((token) => tokens.includes(token));
}

export function matches(doc: IndexedDoc, filter: Filter, def: PropertyDefinition | undefined): boolean {
  const stored = doc.properties[filter.propertyName];
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'NEQ':
      return stored === undefined || !equal(def, stored, filter.value ?? '');
    case 'NOT_IN':
      return stored === undefined || !(filter.values ?? []).some((v) => equal(def, stored, v));
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, filter.value ?? '');
    default:
      break;
  }
  if (stored === undefined) return false;
  const kind = kindOf(def);
  const left = comparable(kind, stored);
  const right = comparable(kind, filter.value ?? '');
  switch (filter.operator) {
    case 'EQ':
      return equal(def, stored, filter.value ?? '');
    case 'IN':
      return (filter.values ?? []).some((v) => equal(def, stored, v));
    case 'LT':
      return compare(left, right) < 0;
    case 'LTE':
      return compare(left, right) <= 0;
    case 'GT':
      return compare(left, right) > 0;
    case 'GTE':
      return compare(left, right) >= 0;
    case 'BETWEEN':
      return compare(left, right) >= 0 && compare(left, comparable(kind, filter.highValue ?? '')) <= 0;
    case 'CONTAINS_TOKEN':
      return containsToken(stored, filter.value ?? '');
    default:
      return false;
  }
}

function equal(def: PropertyDefinition | undefined, stored: string, wanted: string): boolean {
  const kind = kindOf(def);
  return compare(comparable(kind, stored), comparable(kind, wanted)) === 0;
}

/**
 * Sorts docs by one property. Keys are computed once per doc (parsing dates inside the comparator made
 * modified-since scans over 100k records slow); records without a value sort last either way.
 */
export function sortDocs(docs: IndexedDoc[], property: string, def: PropertyDefinition | undefined, descending: boolean): IndexedDoc[] {
  const kind = kindOf(def);
  const keyed = docs.map((doc) => {
    const raw = doc.properties[property];
    return { doc, key: raw === undefined ? undefined : comparable(kind, raw) };
  });
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.doc.numId - b.doc.numId;
      return a.key === undefined ? 1 : -1;
    }
    const order = compare(a.key, b.key);
    if (order !== 0) return descending ? -order : order;
    return a.doc.numId - b.doc.numId;
  });
  return keyed.map((entry) => entry.doc);
}
