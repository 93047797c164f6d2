import { Router } from 'express';
import { param } from '../common/route';
import { apiRoute } from './guards';
import type { SimContext } from './context';
import { HubspotError, sendJson } from './errors';
import { parseObjectType } from './object-types';
import { PropertyCreate } from './properties';
import { parseBody } from './validate';

/** /crm/v3/properties/{objectType}: list, read one, create (the connector creates zoho_record_id here). */
export function propertiesRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);

  api(router, 'get', '/crm/v3/properties/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    sendJson(res, 200, { results: ctx.registry.list(type) });
  });

  api(router, 'get', '/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const name = param(req, 'propertyName');
    const def = ctx.registry.get(type, name);
    if (!def) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name}`, { context: { propertyName: [name] } });
    sendJson(res, 200, def);
  });

  api(router, 'post', '/crm/v3/properties/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    sendJson(res, 201, ctx.registry.create(type, parseBody(PropertyCreate, req.body)));
  });

  return router;
}
