import type { Request, Router } from 'express';
import { route } from '../common/route';
import { type ZohoContext, moduleParam } from './context';
import { ZohoHttpError, errors, zohoError } from './errors';

function singleItem(req: Request): unknown {
  const data: unknown = typeof req.body === 'object' && req.body !== null ? Reflect.get(req.body, 'data') : undefined;
  if (!Array.isArray(data) || data.length === 0) throw errors.bodyMandatory('data');
  if (data.length > 1) throw errors.bodyLimit('data', 1);
  return data[0];
}

function notFound(id: string): ZohoHttpError {
  return new ZohoHttpError(404, zohoError('INVALID_DATA', 'the id given seems to be invalid', { id }));
}

/**
 * /_sim/ui/*: edits "made by a person in Zoho". Same validation as the API, recorded as the UI user
 * (Created_By/Modified_By), and they notify watch channels. Not counted in stats.writes.
 */
export function registerUiRoutes(router: Router, ctx: ZohoContext): void {
  route(router, 'post', '/_sim/ui/:module', (req, res) => {
    const out = ctx.writer.create(moduleParam(req), singleItem(req), 0, 'ui');
    if (!out.ok) throw new ZohoHttpError(400, out.error);
    res.status(201).json(ctx.view.flat(out.rec));
  });

  route(router, 'patch', '/_sim/ui/:module/:id', (req, res) => {
    const module = moduleParam(req);
    const id = String(req.params.id);
    if (!ctx.data.store(module).get(id)) throw notFound(id);
    const out = ctx.writer.update(module, id, singleItem(req), 0, 'ui');
    if (!out.ok) throw new ZohoHttpError(400, out.error);
    res.status(200).json(ctx.view.flat(out.rec));
  });

  route(router, 'delete', '/_sim/ui/:module/:id', (req, res) => {
    const module = moduleParam(req);
    const id = String(req.params.id);
    const out = ctx.writer.remove(module, id, 0, 'ui');
    if (!out.ok) throw notFound(id);
    res.status(204).end();
  });
}
