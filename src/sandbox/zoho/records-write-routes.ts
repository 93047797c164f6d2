import type { Request, Response, Router } from 'express';
import { queryList, route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { errors, mandatoryMissing } from './errors';
import { duplicateCheckFields, upsertOne } from './upsert';
import { type ItemResult, MAX_BATCH, batchStatus, failure, parseWriteBody, success } from './write-body';

function reply(ctx: ZohoContext, res: Response, results: ItemResult[], allOk: number): void {
  ctx.stats.write(results.filter((r) => r.ok).length);
  res.status(batchStatus(results, allOk)).json({ data: results.map((r) => r.body) });
}

function idOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id: unknown = Reflect.get(item, 'id');
  return typeof id === 'string' && id !== '' ? id : null;
}

/** Insert, update, upsert and delete, each taking up to 100 records and answering per record. */
export function registerRecordWriteRoutes(router: Router, ctx: ZohoContext): void {
  const { writer, view } = ctx;

  route(router, 'post', '/crm/v8/:module/upsert', (req, res) => {
    const module = moduleParam(req);
    const body = parseWriteBody(req.body);
    const fields = duplicateCheckFields(ctx, module, body.duplicate_check_fields);
    const results = body.data.map((item, i) => upsertOne(ctx, module, item, i, fields, 'api'));
    reply(ctx, res, results, 200);
  });

  route(router, 'post', '/crm/v8/:module', (req, res) => {
    const module = moduleParam(req);
    const results = parseWriteBody(req.body).data.map((item, i) => {
      const out = writer.create(module, item, i, 'api');
      return out.ok ? success(view.writeDetails(out.rec), 'record added') : failure(out.error);
    });
    reply(ctx, res, results, 201);
  });

  route(router, 'put', '/crm/v8/:module', (req, res) => {
    const module = moduleParam(req);
    const results = parseWriteBody(req.body).data.map((item, i) => {
      const id = idOf(item);
      if (id === null) return failure(mandatoryMissing(i, 'id'));
      const out = writer.update(module, id, item, i, 'api');
      return out.ok ? success(view.writeDetails(out.rec), 'record updated') : failure(out.error);
    });
    reply(ctx, res, results, 200);
  });

  route(router, 'put', '/crm/v8/:module/:id', (req, res) => {
    const module = moduleParam(req);
    const body = parseWriteBody(req.body);
    const id = String(req.params.id);
    if (!ctx.data.store(module).get(id)) throw errors.invalidRecordId();
    const results = body.data.slice(0, 1).map((item, i) => {
      const out = writer.update(module, id, item, i, 'api');
      return out.ok ? success(view.writeDetails(out.rec), 'record updated') : failure(out.error);
    });
    reply(ctx, res, results, 200);
  });

  const remove = (req: Request, res: Response, ids: string[]): void => {
    const module = moduleParam(req);
    const results = ids.map((id, i) => {
      const out = writer.remove(module, id, i, 'api');
      return out.ok ? success({ id }, 'record deleted') : failure(out.error);
    });
    reply(ctx, res, results, 200);
  };

  route(router, 'delete', '/crm/v8/:module', (req, res) => {
    const ids = queryList(req, 'ids');
    if (ids.length === 0) throw errors.requiredParam('ids');
    if (ids.length > MAX_BATCH) throw errors.bodyLimit('ids', MAX_BATCH);
    remove(req, res, ids);
  });

  route(router, 'delete', '/crm/v8/:module/:id', (req, res) => {
    const id = String(req.params.id);
    if (!ctx.data.store(moduleParam(req)).get(id)) throw errors.invalidRecordId();
    remove(req, res, [id]);
  });
}
