import { Router } from 'express';
import { param } from '../common/route';
import { apiRoute } from './guards';
import type { SimContext } from './context';
import { HubspotError, sendJson, validation } from './errors';
import { parseObjectType } from './object-types';
import { DEAL_PIPELINES, renderPipeline } from './pipelines';

/** /crm/v3/pipelines/deals[/{pipelineId}]: read-only; contacts and companies have no pipelines (UNCONFIRMED: 400). */
export function pipelinesRoutes(ctx: SimContext): Router {
  const router = Router();
  const api = apiRoute(ctx);
  const pipelinesOf = (raw: string) => {
    const type = parseObjectType(raw);
    if (type !== 'deals') throw validation(`Object type ${type} has no pipelines`);
    return DEAL_PIPELINES;
  };

  api(router, 'get', '/crm/v3/pipelines/:objectType', (req, res) => {
    sendJson(res, 200, { results: pipelinesOf(param(req, 'objectType')).map(renderPipeline) });
  });

  api(router, 'get', '/crm/v3/pipelines/:objectType/:pipelineId', (req, res) => {
    const id = param(req, 'pipelineId');
    const pipeline = pipelinesOf(param(req, 'objectType')).find((p) => p.id === id);
    if (!pipeline) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${id}`, { context: { pipelineId: [id] } });
    sendJson(res, 200, renderPipeline(pipeline));
  });

  return router;
}
