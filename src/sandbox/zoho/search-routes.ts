import type { Router } from 'express';
import { queryString, route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { ZohoHttpError, zohoError } from './errors';
import type { ModuleName } from './fields';
import { enumParam, fieldsParam, intParam } from './params';
import type { StoredRecord } from './record-types';
import { parseCriteria } from './search-criteria';
import type { IndexedEntry } from './search-index';
import { type Matcher, compileCriteria } from './search-match';

const TEXTUAL = new Set(['text', 'textarea', 'email', 'phone', 'website', 'picklist']);

function badParam(name: string, reason: string): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('INVALID_DATA', 'invalid data', { param_name: name, reason }));
}

/** criteria > email > phone > word, as Zoho prioritises them; none → EXPECTED_PARAM_MISSING. */
function buildMatcher(ctx: ZohoContext, module: ModuleName, q: (n: string) => string | undefined): Matcher {
  const mode = ctx.options.searchEqualsMode;
  const defs = ctx.data.fields.list(module);
  const criteria = q('criteria');
  if (criteria) return compileCriteria(ctx.data, module, parseCriteria(criteria), mode);
  const email = q('email');
  if (email) {
    const needle = email.toLowerCase();
    const names = defs.filter((d) => d.data_type === 'email').map((d) => d.api_name);
    const hit = (v: unknown): boolean => typeof v === 'string' && (mode === 'contains' ? v.toLowerCase().includes(needle) : v.toLowerCase() === needle);
    return (e: IndexedEntry) => names.some((n) => hit(e.values[n]));
  }
  const phone = q('phone');
  if (phone) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length < 3) throw badParam('phone', 'at least 3 digits');
    const names = defs.filter((d) => d.data_type === 'phone').map((d) => d.api_name);
    return (e) => names.some((n) => String(e.values[n] ?? '').replace(/\D/g, '').includes(digits));
  }
  const word = q('word');
  if (word) {
    if (word.trim().length < 2) throw badParam('word', 'at least 2 characters');
    const needle = word.toLowerCase();
    const names = defs.filter((d) => TEXTUAL.has(d.data_type)).map((d) => d.api_name);
    return (e) => names.some((n) => String(e.values[n] ?? '').toLowerCase().includes(needle));
  }
  throw new ZohoHttpError(
    400,
    zohoError('EXPECTED_PARAM_MISSING', 'mandatory param missing', { param_names: ['criteria', 'email', 'phone', 'word'] }),
  );
}

/**
 * GET /crm/v8/{module}/search. Matching runs against the search index (values as of searchIndexDelayMs ago),
 * while the records returned carry their current values, as Zoho's index lag behaves. At most 2,000 records
 * can be paged through (LIMIT_REACHED beyond).
 */
export function registerSearchRoutes(router: Router, ctx: ZohoContext): void {
  route(router, 'get', '/crm/v8/:module/search', (req, res) => {
    const module = moduleParam(req);
    const matcher = buildMatcher(ctx, module, (n) => queryString(req, n));
    const fields = fieldsParam(req, false);
    const perPage = intParam(req, 'per_page', 200, 1, 200);
    const page = intParam(req, 'page', 1, 1, 1_000_000);
    const sortBy = enumParam(req, 'sort_by', ['id', 'Created_Time', 'Modified_Time'] as const, 'id');
    const order = enumParam(req, 'sort_order', ['asc', 'desc'] as const, 'desc');
    if (page * perPage > ctx.options.searchRecordLimit) {
      throw new ZohoHttpError(400, zohoError('LIMIT_REACHED', 'Maximum response iteration limit reached', { limit: ctx.options.searchRecordLimit }));
    }
    const store = ctx.data.store(module);
    const index = store.search.entries();
    const skip = (page - 1) * perPage;
    const picked: StoredRecord[] = [];
    let seen = 0;
    let more = false;
    for (const rec of store.iterate(sortBy, order)) {
      const entry = index.get(rec.id);
      if (!entry || !matcher(entry)) continue;
      seen += 1;
      if (seen <= skip) continue;
      if (picked.length === perPage) {
        more = true;
        break;
      }
      picked.push(rec);
    }
    if (picked.length === 0) {
      res.status(204).end();
      return;
    }
    res.json({
      data: picked.map((r) => ctx.view.flat(r, fields ? ['id', ...fields] : undefined)),
      info: { per_page: perPage, count: picked.length, page, sort_by: sortBy, sort_order: order, more_records: more },
    });
  });
}
