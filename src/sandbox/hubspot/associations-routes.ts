import { Router } from 'express';
import { z } from 'zod';
import { param, queryString } from '../common/route';
import { apiRoute } from './guards';
import { unlabeledFrom } from './association-store';
import { assertPair, associatedWithLabels, checkTypes, defaultResults, labelsBetween, liveRecord } from './associations-view';
import type { SimContext } from './context';
import { sendJson } from './errors';
import { parseObjectType, SINGULAR } from './object-types';
import { parseBody } from './validate';

const Id = z.union([z.string(), z.number()]).transform(String);
const Spec = z.object({ associationCategory: z.string(), associationTypeId: z.number().int() });
const SpecList = z.array(Spec).min(1);

/** Associations v4: per-record list, labelled and default PUT, archive, and the batch endpoints. */
export function associationsRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);
  const types = (fromRaw: string, toRaw: string) => {
    const from = parseObjectType(fromRaw);
    const to = parseObjectType(toRaw);
    return { from, to, pair: assertPair(from, to) };
  };

  api(router, 'get', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (req, res) => {
    const { from, to } = types(param(req, 'objectType'), param(req, 'toObjectType'));
    const limit = Math.min(Number(queryString(req, 'limit') ?? '500') || 500, 500);
    const after = Number(queryString(req, 'after') ?? '0') || 0;
    const all = associatedWithLabels(ctx, from, param(req, 'objectId'), to);
    const page = all.slice(after, after + limit);
    const next = after + limit < all.length ? String(after + limit) : undefined;
    sendJson(res, 200, { results: page, ...(next ? { paging: { next: { after: next, link: '' } } } : {}) });
  });

  api(router, 'put', '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', (req, res) => {
    const { from, to, pair } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const fromId = param(req, 'fromObjectId');
    const toId = param(req, 'toObjectId');
    liveRecord(ctx, from, fromId);
    liveRecord(ctx, to, toId);
    ctx.associations.add(from, fromId, to, toId, [unlabeledFrom(pair, from)], 'API');
    const now = new Date().toISOString();
    sendJson(res, 200, { status: 'COMPLETE', results: defaultResults(pair, from, fromId, toId), startedAt: now, completedAt: now });
  });

  api(router, 'put', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const { from, to } = types(param(req, 'objectType'), param(req, 'toObjectType'));
    const fromId = param(req, 'objectId');
    const toId = param(req, 'toObjectId');
    const typeIds = checkTypes(from, to, parseBody(SpecList, req.body));
    liveRecord(ctx, from, fromId);
    liveRecord(ctx, to, toId);
    ctx.associations.add(from, fromId, to, toId, typeIds, 'API');
    res.setHeader('Location', `/crm/v4/objects/${from}/${fromId}/associations/${to}`);
    sendJson(res, 201, labelsBetween(ctx, from, fromId, to, toId));
  });

  api(router, 'delete', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (req, res) => {
    const { from, to } = types(param(req, 'objectType'), param(req, 'toObjectType'));
    ctx.associations.remove(from, param(req, 'objectId'), to, param(req, 'toObjectId'), 'API');
    res.status(204).end();
  });

  api(router, 'post', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (req, res) => {
    const { from, to } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const { inputs } = parseBody(z.object({ inputs: z.array(z.object({ id: Id, after: z.string().optional() })) }), req.body);
    const results = [];
    const errors = [];
    for (const { id } of inputs) {
      const found = associatedWithLabels(ctx, from, id, to);
      if (found.length > 0) {
        results.push({ from: { id }, to: found });
        continue;
      }
      // UNCONFIRMED wording; HubSpot reports inputs without associations as errors in a 207.
      errors.push({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No ${SINGULAR[to]} is associated with ${SINGULAR[from]} ${id}.`,
        context: { fromObjectId: [id] },
        errors: [],
        links: {},
      });
    }
    const now = new Date().toISOString();
    const body = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
    sendJson(res, errors.length > 0 ? 207 : 200, errors.length > 0 ? { ...body, numErrors: errors.length, errors } : body);
  });

  api(router, 'post', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', (req, res) => {
    const { from, to } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const Input = z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }), types: SpecList });
    const { inputs } = parseBody(z.object({ inputs: z.array(Input).max(ctx.options.batchMaxInputs) }), req.body);
    const checked = inputs.map((input) => {
      liveRecord(ctx, from, input.from.id);
      liveRecord(ctx, to, input.to.id);
      return { ...input, typeIds: checkTypes(from, to, input.types) };
    });
    const results = checked.map((input) => {
      ctx.associations.add(from, input.from.id, to, input.to.id, input.typeIds, 'API');
      return labelsBetween(ctx, from, input.from.id, to, input.to.id);
    });
    const now = new Date().toISOString();
    sendJson(res, 201, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
  });

  api(router, 'post', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (req, res) => {
    const { from, to, pair } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const Input = z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }) });
    const { inputs } = parseBody(z.object({ inputs: z.array(Input).max(ctx.options.batchMaxInputs) }), req.body);
    for (const input of inputs) {
      liveRecord(ctx, from, input.from.id);
      liveRecord(ctx, to, input.to.id);
    }
    const results = inputs.flatMap((input) => {
      ctx.associations.add(from, input.from.id, to, input.to.id, [unlabeledFrom(pair, from)], 'API');
      return defaultResults(pair, from, input.from.id, input.to.id);
    });
    const now = new Date().toISOString();
    sendJson(res, 200, { status: 'COMPLETE', results, startedAt: now, completedAt: now });
  });

  api(router, 'post', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (req, res) => {
    const { from, to } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const Input = z.object({ from: z.object({ id: Id }), to: z.array(z.object({ id: Id })) });
    const { inputs } = parseBody(z.object({ inputs: z.array(Input) }), req.body);
    for (const input of inputs) {
      for (const target of input.to) ctx.associations.remove(from, input.from.id, to, target.id, 'API');
    }
    res.status(204).end();
  });

  api(router, 'post', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', (req, res) => {
    const { from, to } = types(param(req, 'fromObjectType'), param(req, 'toObjectType'));
    const Input = z.object({ from: z.object({ id: Id }), to: z.object({ id: Id }), types: SpecList });
    const { inputs } = parseBody(z.object({ inputs: z.array(Input) }), req.body);
    for (const input of inputs) ctx.associations.remove(from, input.from.id, to, input.to.id, 'API', checkTypes(from, to, input.types));
    res.status(204).end();
  });

  return router;
}
