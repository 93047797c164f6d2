import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { param, route } from '../common/route';
import { publicRecord, type ShopContext } from './context';
import { invalid, notFound, sendError } from './errors';
import { readFaults } from './faults';
import { listPage, parseListQuery } from './listing';
import { parseCollection, type Collection, type RecordMeta } from './records';

const BatchGet = z.object({ ids: z.array(z.string().regex(/^[1-9][0-9]{0,17}$/)).min(1) }).strict();

function collectionOf(req: Request): Collection {
  const collection = parseCollection(param(req, 'collection'));
  if (!collection) throw notFound(`/${param(req, 'collection')}`);
  return collection;
}

function bearer(apiKey: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.headers.authorization === `Bearer ${apiKey}`) next();
    else sendError(res, 401, 'unauthorized', 'Missing or wrong API key (Authorization: Bearer <key>)');
  };
}

/** The read API of docs/shop-api.openapi.yaml under /api/v1: faults first (an outage answers before auth), then auth. */
export function apiRoutes(ctx: ShopContext): Router {
  const router = Router();
  const guards = [readFaults(ctx.faults), bearer(ctx.options.apiKey)];

  route(
    router,
    'post',
    '/api/v1/:collection/batch-get',
    (req, res) => {
      const collection = collectionOf(req);
      const { ids } = BatchGet.parse(req.body);
      if (ids.length > ctx.options.batchMaxIds) throw invalid(`at most ${ctx.options.batchMaxIds} ids`, 'ids');
      const table = ctx.data.tables[collection];
      const found = ids.map((id) => table.live(id));
      res.json({ results: found.flatMap((row) => (row ? [publicRecord(row)] : [])), missing: ids.filter((_id, i) => !found[i]) });
    },
    guards,
  );

  route(
    router,
    'get',
    '/api/v1/:collection/:id',
    (req, res) => {
      const collection = collectionOf(req);
      res.json(publicRecord(ctx.data.live(collection, param(req, 'id'))));
    },
    guards,
  );

  route(
    router,
    'get',
    '/api/v1/:collection',
    (req, res) => {
      const collection = collectionOf(req);
      const page = listPage<RecordMeta>(ctx.data.tables[collection].all(), parseListQuery(req, ctx.options.listMaxLimit));
      res.json({ results: page.results.map(publicRecord), next_after: page.next_after });
    },
    guards,
  );

  return router;
}
