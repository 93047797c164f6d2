import type { Request, Response, Router } from 'express';
import { queryList, route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { alreadyModified, errors, mandatoryMissing } from './errors';
import type { ModuleName } from './fields';
import { parseZohoTime } from './time';
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

/**
 * An update's `If-Unmodified-Since` (ISO-8601 with a zone, as Zoho shows Modified_Time and documents the header): a
 * record modified after it is refused with ALREADY_MODIFIED. Zoho's times are whole seconds, so a change within the
 * header's own second passes. A malformed value is refused outright, not ignored, so a client's mistake shows.
 */
function unmodifiedSince(req: Request): number | null {
  const header = req.get('If-Unmodified-Since');
  if (header === undefined) return null;
  const ms = parseZohoTime(header.trim());
  if (ms === null) throw errors.invalidHeader('If-Unmodified-Since');
  return ms;
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

  const update = (module: ModuleName, id: string, item: unknown, index: number, since: number | null): ItemResult => {
    const current = ctx.data.store(module).get(id);
    if (current && since !== null && current.modifiedMs > since) {
      ctx.stats.conditionalRefusal();
      return failure(alreadyModified(view.writeDetails(current)));
    }
    const out = writer.update(module, id, item, index, 'api');
    return out.ok ? success(view.writeDetails(out.rec), 'record updated') : failure(out.error);
  };

  route(router, 'put', '/crm/v8/:module', (req, res) => {
    const module = moduleParam(req);
    const since = unmodifiedSince(req);
    const results = parseWriteBody(req.body).data.map((item, i) => {
      const id = idOf(item);
      return id === null ? failure(mandatoryMissing(i, 'id')) : update(module, id, item, i, since);
    });
    reply(ctx, res, results, 200);
  });

  route(router, 'put', '/crm/v8/:module/:id', (req, res) => {
    const module = moduleParam(req);
    const since = unmodifiedSince(req);
    const body = parseWriteBody(req.body);
    const id = String(req.params.id);
    if (!ctx.data.store(module).get(id)) throw errors.invalidRecordId();
    reply(ctx, res, body.data.slice(0, 1).map((item, i) => update(module, id, item, i, since)), 200);
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
