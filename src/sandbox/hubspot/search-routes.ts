import { Router } from 'express';
import { param } from '../common/route';
import { apiRoute } from './guards';
import type { SimContext } from './context';
import { sendJson } from './errors';
import { parseObjectType } from './object-types';
import { pickProperties } from './serialize';
import { runSearch, SearchRequest } from './search';
import { parseBody } from './validate';

const iso = (ms: number): string => new Date(ms).toISOString();

/** POST /crm/v3/objects/{type}/search, answered from the lagging index (stale until it catches up). */
export function searchRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);
  api(router, 'post', '/crm/v3/objects/:objectType/search', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const request = parseBody(SearchRequest, req.body);
    const outcome = runSearch(ctx.search[type], ctx.registry, type, request, ctx.options.searchResultCap);
    sendJson(res, 200, {
      total: outcome.total,
      results: outcome.results.map((doc) => ({
        id: doc.id,
        properties: pickProperties(type, doc.properties, request.properties ?? []),
        createdAt: iso(doc.createdAt),
        updatedAt: iso(doc.updatedAt),
        archived: false,
      })),
      ...(outcome.nextAfter ? { paging: { next: { after: outcome.nextAfter, link: '' } } } : {}),
    });
  });
  return router;
}
