import { z } from 'zod';
import { validation } from './errors';
import type { ObjectType } from './object-types';
import { QUERY_PROPERTIES } from './property-defaults';
import type { PropertyRegistry } from './properties';
import { matches, OPERATORS, sortDocs } from './search-filters';
import type { IndexedDoc, SearchIndex } from './search-index';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const SearchRequest = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z.array(
          z.object({
            propertyName: z.string(),
            operator: z.enum(OPERATORS).default('EQ'),
            value: scalar.optional(),
            highValue: scalar.optional(),
            values: z.array(scalar).optional(),
          }),
        ),
      }),
    )
    .default([]),
  sorts: z
    .array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })]))
    .default([]),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).optional(),
  query: z.string().max(3000).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequest>;

/** Limits from HubSpot's 2024 search changelog (5 groups, 25 filters, 6 per group in older docs). */
export const SEARCH_LIMITS = { maxLimit: 200, maxGroups: 5, maxFilters: 25, maxFiltersPerGroup: 10 };

export interface SearchOutcome {
  total: number;
  results: IndexedDoc[];
  nextAfter?: string;
}

function parseSort(sort: SearchRequest['sorts'][number]): { property: string; descending: boolean } {
  if (typeof sort === 'string') return sort.startsWith('-') ? { property: sort.slice(1), descending: true } : { property: sort, descending: false };
  return { property: sort.propertyName, descending: sort.direction === 'DESCENDING' };
}

function queryMatches(doc: IndexedDoc, type: ObjectType, terms: string[]): boolean {
  const tokens = QUERY_PROPERTIES[type].flatMap((name) => (doc.properties[name] ?? '').toLowerCase().split(/[^\p{L}\p{N}@.]+/u));
  return terms.every((term) => tokens.some((token) => token.startsWith(term)));
}

function validate(request: SearchRequest, type: ObjectType, registry: PropertyRegistry): void {
  if (request.limit > SEARCH_LIMITS.maxLimit) throw validation(`limit must be less than or equal to ${SEARCH_LIMITS.maxLimit}`);
  if (request.filterGroups.length > SEARCH_LIMITS.maxGroups) throw validation(`Too many filter groups (max ${SEARCH_LIMITS.maxGroups})`);
  const filters = request.filterGroups.flatMap((g) => g.filters);
  if (filters.length > SEARCH_LIMITS.maxFilters) throw validation(`Too many filters (max ${SEARCH_LIMITS.maxFilters})`);
  if (request.filterGroups.some((g) => g.filters.length > SEARCH_LIMITS.maxFiltersPerGroup)) {
    throw validation(`Too many filters in a group (max ${SEARCH_LIMITS.maxFiltersPerGroup})`);
  }
  if (request.sorts.length > 1) throw validation('Only one sort is supported');
  for (const filter of filters) {
    if (!registry.get(type, filter.propertyName)) throw validation(`Property "${filter.propertyName}" does not exist`);
    const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(filter.operator);
    if (needsValue && filter.value === undefined) throw validation(`Filter on ${filter.propertyName} with ${filter.operator} requires a value`);
    if (filter.operator === 'BETWEEN' && filter.highValue === undefined) throw validation('BETWEEN requires highValue');
    if ((filter.operator === 'IN' || filter.operator === 'NOT_IN') && !filter.values) throw validation(`${filter.operator} requires values`);
  }
}

/** A group whose EQ/IN on an indexed property narrows candidates without a full scan. */
function candidates(index: SearchIndex, request: SearchRequest, indexed: Set<string>): IndexedDoc[] | null {
  if (request.filterGroups.length === 0) return null;
  const seen = new Map<string, IndexedDoc>();
  for (const group of request.filterGroups) {
    const key = group.filters.find((f) => indexed.has(f.propertyName) && (f.operator === 'EQ' || f.operator === 'IN'));
    if (!key) return null;
    const values = key.operator === 'EQ' ? [key.value ?? ''] : (key.values ?? []);
    for (const doc of index.lookup(key.propertyName, values)) seen.set(doc.id, doc);
  }
  return [...seen.values()];
}

export function runSearch(
  index: SearchIndex,
  registry: PropertyRegistry,
  type: ObjectType,
  request: SearchRequest,
  resultCap: number,
): SearchOutcome {
  validate(request, type, registry);
  const offset = request.after === undefined || request.after === '' ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0) throw validation(`Invalid after: ${String(request.after)}`);
  if (offset >= resultCap) throw validation(`Cannot page beyond ${resultCap} results. Narrow the query instead.`);
  index.refresh();
  const indexed = new Set(['email', 'domain', 'hs_object_id', ...registry.uniqueNames(type)]);
  const pool = candidates(index, request, indexed) ?? index.all();
  const terms = (request.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const groups = request.filterGroups.map((g) => g.filters.map((f) => ({ filter: f, def: registry.get(type, f.propertyName) })));
  const found: IndexedDoc[] = [];
  for (const doc of pool) {
    if (groups.length > 0 && !groups.some((group) => group.every(({ filter, def }) => matches(doc, filter, def)))) continue;
    if (terms.length > 0 && !queryMatches(doc, type, terms)) continue;
    found.push(doc);
  }
  const first = request.sorts[0];
  const { property, descending } = first ? parseSort(first) : { property: 'hs_object_id', descending: false };
  const sorted = first ? sortDocs(found, property, registry.get(type, property), descending) : found.sort((a, b) => a.numId - b.numId);
  const end = Math.min(offset + request.limit, sorted.length, resultCap);
  const results = sorted.slice(offset, end);
  const more = end < sorted.length && end < resultCap;
  return { total: sorted.length, results, ...(more ? { nextAfter: String(end) } : {}) };
}
