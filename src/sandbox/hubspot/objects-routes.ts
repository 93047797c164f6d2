import { Router, type Request } from 'express';
import { z } from 'zod';
import { param, queryString } from '../common/route';
import { apiRoute } from './guards';
import type { SimContext } from './context';
import { sendJson, validation } from './errors';
import { parseObjectType } from './object-types';
import { readParams, render } from './read-params';
import { archiveRecord, AssociationInput, createRecord, MergeInput, mergeRecords, PropertiesInput, resolve, updateRecord } from './records';
import { parseBody } from './validate';

const CreateBody = z.object({ properties: PropertiesInput.default({}), associations: z.array(AssociationInput).default([]) });
const UpdateBody = z.object({ properties: PropertiesInput });

function listLimit(req: Request, max: number): number {
  const raw = queryString(req, 'limit');
  if (raw === undefined) return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw validation(`Invalid limit: ${raw}`);
  return Math.min(limit, max);
}

/** Single-record CRUD and list for /crm/v3/objects/{contacts|companies}. */
export function objectsRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);

  api(router, 'get', '/crm/v3/objects/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const params = readParams(req);
    const limit = listLimit(req, ctx.options.listMaxLimit);
    const after = queryString(req, 'after');
    if (after !== undefined && !/^\d+$/.test(after)) throw validation(`Invalid after: ${after}`);
    const page = ctx.stores[type].page(after === undefined ? 0 : Number(after), limit, params.archived);
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.path}`;
    sendJson(res, 200, {
      results: page.records.map((record) => render(ctx, type, record, params)),
      ...(page.next ? { paging: { next: { after: page.next, link: `${base}?after=${page.next}` } } } : {}),
    });
  });

  api(router, 'get', '/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const params = readParams(req);
    const record = resolve(ctx, type, param(req, 'objectId'), queryString(req, 'idProperty'), params.archived);
    sendJson(res, 200, render(ctx, type, record, params));
  });

  api(router, 'post', '/crm/v3/objects/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const body = parseBody(CreateBody, req.body);
    const record = createRecord(ctx, type, body.properties, body.associations, 'API');
    ctx.stats.write();
    // What the create set, including values HubSpot fills in itself (a deal's pipeline).
    const written = [...Object.keys(body.properties), ...Object.keys(record.properties)];
    sendJson(res, 201, render(ctx, type, record, { properties: written, propertiesWithHistory: [], associations: [] }));
  });

  // The primary keeps its id (UNCONFIRMED: HubSpot may give the merged record a new one) and is answered as a PATCH is.
  api(router, 'post', '/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const body = parseBody(MergeInput, req.body);
    const record = mergeRecords(ctx, type, body.primaryObjectId, body.objectIdToMerge, 'API');
    ctx.stats.write();
    sendJson(res, 200, render(ctx, type, record, { properties: [], propertiesWithHistory: [], associations: [] }));
  });

  api(router, 'patch', '/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const body = parseBody(UpdateBody, req.body);
    const record = resolve(ctx, type, param(req, 'objectId'), queryString(req, 'idProperty'));
    const updated = updateRecord(ctx, type, record, body.properties, 'API');
    ctx.stats.write();
    sendJson(res, 200, render(ctx, type, updated, { properties: Object.keys(body.properties), propertiesWithHistory: [], associations: [] }));
  });

  api(router, 'delete', '/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const record = ctx.stores[type].get(param(req, 'objectId'));
    // Archiving something already gone is a quiet success in HubSpot, so retries are idempotent.
    if (record && !record.archived) {
      archiveRecord(ctx, type, record, 'API');
      ctx.stats.write();
    }
    res.status(204).end();
  });

  return router;
}
