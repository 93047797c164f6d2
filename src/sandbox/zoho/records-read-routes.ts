import type { Router } from 'express';
import { route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { errors } from './errors';
import { listRecords } from './list';
import type { PageTokens } from './page-tokens';
import { fieldsParam, intParam } from './params';

/** Get by id, list, count and deleted-records listing. Search lives in search-routes.ts. */
export function registerRecordReadRoutes(router: Router, ctx: ZohoContext, tokens: PageTokens): void {
  route(router, 'get', '/crm/v8/:module/actions/count', (req, res) => {
    res.json({ count: ctx.data.store(moduleParam(req)).size });
  });

  route(router, 'get', '/crm/v8/:module/deleted', (req, res) => {
    const module = moduleParam(req);
    const perPage = intParam(req, 'per_page', 200, 1, 200);
    const page = intParam(req, 'page', 1, 1, 1_000_000);
    const all = [...ctx.data.store(module).deletedRecords()].sort((a, b) => (b.deletedMs ?? 0) - (a.deletedMs ?? 0));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    if (slice.length === 0) {
      res.status(204).end();
      return;
    }
    const user = (id: string) => ({ name: ctx.data.userById(id)?.name ?? null, id });
    res.json({
      data: slice.map((r) => ({
        deleted_by: user(r.deletedBy ?? r.modifiedBy),
        id: r.id,
        display_name: String(r.values.Account_Name ?? r.values.Last_Name ?? ''),
        type: 'recycle',
        created_by: user(r.createdBy),
        deleted_time: ctx.view.time(r.deletedMs ?? r.modifiedMs),
      })),
      info: { per_page: perPage, count: slice.length, page, more_records: all.length > page * perPage },
    });
  });

  route(router, 'get', '/crm/v8/:module/:id', (req, res) => {
    const module = moduleParam(req);
    const rec = ctx.data.store(module).get(String(req.params.id));
    if (!rec) {
      if (ctx.options.missingRecordStatus === 400) throw errors.invalidRecordId();
      res.status(204).end();
      return;
    }
    const fields = fieldsParam(req, false);
    res.json({ data: [ctx.view.flat(rec, fields ? ['id', ...fields] : undefined)] });
  });

  route(router, 'get', '/crm/v8/:module', (req, res) => {
    const result = listRecords(ctx, tokens, moduleParam(req), req);
    if (result.status === 200) res.json(result.body);
    else res.status(result.status).end();
  });
}
