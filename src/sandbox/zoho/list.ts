import type { Request } from 'express';
import { queryList, queryString } from '../common/route';
import type { ZohoContext } from './context';
import { ZohoHttpError, zohoError } from './errors';
import type { ModuleName } from './fields';
import type { PageTokens } from './page-tokens';
import { enumParam, fieldsParam, intParam } from './params';
import type { StoredRecord } from './record-types';
import type { FlatRecord } from './record-view';
import { type SortBy, keyFor } from './store';

export type ListResult = { status: 204 } | { status: 304 } | { status: 200; body: { data: FlatRecord[]; info: Record<string, unknown> } };

const SORTS: readonly SortBy[] = ['id', 'Created_Time', 'Modified_Time'];

function ambiguity(): ZohoHttpError {
  return new ZohoHttpError(400, zohoError('AMBIGUITY_DURING_PROCESSING', 'ambiguity while processing the request', { ambiguity_due_to: ['page', 'page_token'] }));
}

/**
 * GET /crm/v8/{module}: discrete pages (`page`) for the first 2,000 records, keyset `page_token`s beyond
 * (up to 100,000 navigated records). Page tokens remember the last key handed out, so records modified
 * while a client pages do not shift later pages.
 */
export function listRecords(ctx: ZohoContext, tokens: PageTokens, module: ModuleName, req: Request): ListResult {
  const fields = fieldsParam(req, true) ?? [];
  const perPage = intParam(req, 'per_page', 200, 1, 200);
  const sortBy = enumParam(req, 'sort_by', SORTS, 'id');
  const order = enumParam(req, 'sort_order', ['asc', 'desc'] as const, 'desc');
  const pageToken = queryString(req, 'page_token');
  if (pageToken && queryString(req, 'page') !== undefined) throw ambiguity();
  const ims = req.get('If-Modified-Since');
  const imsMs = ims ? Date.parse(ims) : NaN;
  const ids = new Set(queryList(req, 'ids'));
  const bound = JSON.stringify([module, fields, sortBy, order, ims ?? null, [...ids]]);
  const { options } = ctx;

  let page = intParam(req, 'page', 1, 1, 1_000_000);
  let skip = (page - 1) * perPage;
  let after: ReturnType<typeof keyFor> | undefined;
  let navigated = skip;
  if (pageToken) {
    const token = tokens.redeem(pageToken, bound);
    after = token.after;
    navigated = token.navigated;
    page = token.page;
    skip = 0;
    if (navigated + perPage > options.navigationLimit) {
      throw new ZohoHttpError(400, zohoError('PAGINATION_LIMIT_EXCEEDED', `You can only get upto ${options.navigationLimit} records using page_token param`, { param_name: 'page_token' }));
    }
  } else if (page * perPage > options.discretePageLimit) {
    throw new ZohoHttpError(400, zohoError('DISCRETE_PAGINATION_LIMIT_EXCEEDED', `You can only get the first ${options.discretePageLimit} records without using page_token param`, { limit: options.discretePageLimit }));
  }

  const matches = (r: StoredRecord): boolean => (ids.size === 0 || ids.has(r.id)) && (Number.isNaN(imsMs) || r.modifiedMs > imsMs);
  const picked: StoredRecord[] = [];
  let more = false;
  for (const rec of ctx.data.store(module).iterate(sortBy, order, after)) {
    if (!matches(rec)) continue;
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    if (picked.length === perPage) {
      more = true;
      break;
    }
    picked.push(rec);
  }
  if (picked.length === 0) return { status: Number.isNaN(imsMs) ? 204 : 304 };
  const last = picked[picked.length - 1];
  const next = more && last ? tokens.issue(bound, keyFor(sortBy, last), navigated + picked.length, page + 1) : null;
  return {
    status: 200,
    body: {
      data: picked.map((r) => ctx.view.flat(r, ['id', ...fields])),
      info: {
        call: false,
        per_page: perPage,
        next_page_token: next?.token ?? null,
        count: picked.length,
        sort_by: sortBy,
        page,
        previous_page_token: null,
        page_token_expiry: next ? ctx.view.time(next.expiresAt) : null,
        sort_order: order,
        email: false,
        more_records: more,
      },
    },
  };
}
