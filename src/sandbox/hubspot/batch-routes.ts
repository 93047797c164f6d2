import { Router } from 'express';
import { z } from 'zod';
import { param, queryString } from '../common/route';
import { apiRoute } from './guards';
import type { SimContext } from './context';
import { HubspotError, sendJson, validation } from './errors';
import { parseObjectType, SINGULAR, type ObjectType } from './object-types';
import { render } from './read-params';
import { resolve } from './records';
import { assertNoDuplicates, BatchId, batchInputs, batchResponse, standardError } from './batch-support';
import { batchWrites, CreateInput, UpdateInput, UpsertInput } from './batch-writes';
import { parseBody } from './validate';

const ReadBody = z.object({
  inputs: z.array(z.object({ id: BatchId })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});

function readBatch(ctx: SimContext, type: ObjectType, body: z.infer<typeof ReadBody>, archived: boolean) {
  if (body.propertiesWithHistory.length > 0 && body.inputs.length > 50) {
    throw validation('The maximum number of inputs supported in a batch request for property histories is 50.');
  }
  const results = [];
  const missing: string[] = [];
  for (const { id } of body.inputs) {
    try {
      results.push(render(ctx, type, resolve(ctx, type, id, body.idProperty, archived), { ...body, associations: [] }));
    } catch (error) {
      if (!(error instanceof HubspotError) || error.category !== 'OBJECT_NOT_FOUND') throw error;
      missing.push(id);
    }
  }
  const upper = SINGULAR[type].toUpperCase();
  const errors = missing.length === 0 ? [] : [
    standardError(new HubspotError(404, 'OBJECT_NOT_FOUND', `Could not get some ${upper} objects, they may be deleted or not exist. Check that ids are valid.`, { context: { ids: missing } })),
  ];
  return { results, errors };
}

/** /crm/v3/objects/{type}/batch/{read,create,update,upsert,archive}. */
export function batchRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);
  const writes = batchWrites(ctx);

  api(router, 'post', '/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const startedAt = new Date().toISOString();
    const body = parseBody(ReadBody, req.body);
    if (body.inputs.length > ctx.options.batchMaxInputs) throw validation(`The maximum number of inputs supported in a batch request is ${ctx.options.batchMaxInputs}.`);
    const { results, errors } = readBatch(ctx, type, body, queryString(req, 'archived') === 'true');
    const out = batchResponse(200, results, errors, startedAt);
    sendJson(res, out.status, out.body);
  });

  api(router, 'post', '/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const out = writes.create(type, parseBody(batchInputs(ctx, CreateInput), req.body).inputs);
    sendJson(res, out.status, out.body);
  });

  api(router, 'post', '/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const out = writes.update(type, parseBody(batchInputs(ctx, UpdateInput), req.body).inputs);
    sendJson(res, out.status, out.body);
  });

  api(router, 'post', '/crm/v3/objects/:objectType/batch/upsert', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const out = writes.upsert(type, parseBody(batchInputs(ctx, UpsertInput), req.body).inputs);
    sendJson(res, out.status, out.body);
  });

  api(router, 'post', '/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const inputs = parseBody(batchInputs(ctx, z.object({ id: BatchId })), req.body).inputs;
    assertNoDuplicates(inputs.map((i) => i.id));
    for (const { id } of inputs) {
      const record = ctx.stores[type].get(id);
      if (!record || record.archived) continue;
      ctx.stores[type].archive(id, 'API');
      ctx.stats.write();
    }
    res.status(204).end();
  });

  return router;
}

