import { Router } from 'express';
import { z } from 'zod';
import { param, route } from '../common/route';
import { unlabeledFrom } from './association-store';
import { assertPair, associatedWithLabels, liveRecord } from './associations-view';
import type { SimContext } from './context';
import { sendJson, validation } from './errors';
import { parseObjectType, SINGULAR, type ObjectType } from './object-types';
import { archiveRecord, createRecord, MergeInput, mergeRecords, PropertiesInput, resolve, updateRecord } from './records';
import { toPublic } from './serialize';
import type { StoredRecord } from './store-types';
import { parseBody } from './validate';

const Body = z.object({ properties: PropertiesInput });
/** A team's edits come from many people: userId names the one making this edit (its webhook's sourceId). */
const EditBody = Body.extend({ userId: z.number().int().positive().optional() });
const AssociationBody = z.object({ primary: z.boolean().default(false) });

/** Everything the record holds, as a person would see it on the record page. */
export function fullRecord(type: ObjectType, record: StoredRecord, propertiesWithHistory: string[] = []) {
  return toPublic(type, record, { properties: Object.keys(record.properties), propertiesWithHistory });
}

/**
 * /_sim/ui/*: edits "made by a person in HubSpot". Same validation as the API, but webhooks carry
 * changeSource CRM_UI and sourceId userId:N, and the writes are not counted in stats.writes.
 */
export function uiRoutes(ctx: SimContext): Router {
  const router = Router();

  route(router, 'post', '/_sim/ui/:objectType', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const record = createRecord(ctx, type, parseBody(Body, req.body).properties, [], 'UI');
    sendJson(res, 201, fullRecord(type, record));
  });

  // A person merging two records on the record page: body as the API's {primaryObjectId, objectIdToMerge}.
  route(router, 'post', '/_sim/ui/:objectType/merge', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const body = parseBody(MergeInput, req.body);
    sendJson(res, 200, fullRecord(type, mergeRecords(ctx, type, body.primaryObjectId, body.objectIdToMerge, 'UI')));
  });

  route(router, 'patch', '/_sim/ui/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    const record = resolve(ctx, type, param(req, 'objectId'));
    const { properties, userId } = parseBody(EditBody, req.body);
    sendJson(res, 200, fullRecord(type, updateRecord(ctx, type, record, properties, 'UI', userId)));
  });

  route(router, 'delete', '/_sim/ui/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    archiveRecord(ctx, type, resolve(ctx, type, param(req, 'objectId')), 'UI');
    res.status(204).end();
  });

  /**
   * Body {"primary": true} also makes the target the record's primary one (a contact's or a deal's primary company,
   * replacing any other primary). Answers e.g. {"contactId", "companies": [v4 associations of the contact]}.
   */
  route(router, 'put', '/_sim/ui/associations/:fromType/:fromId/:toType/:toId', (req, res) => {
    const from = parseObjectType(param(req, 'fromType'));
    const to = parseObjectType(param(req, 'toType'));
    const pair = assertPair(from, to);
    const fromId = param(req, 'fromId');
    const toId = param(req, 'toId');
    liveRecord(ctx, from, fromId);
    liveRecord(ctx, to, toId);
    const { primary } = parseBody(AssociationBody, req.body);
    const typeIds = [unlabeledFrom(pair, from)];
    if (primary) {
      const primaryType = pair.primary && from === pair.from ? pair.primary[0] : undefined;
      if (primaryType === undefined) throw validation(`A ${SINGULAR[from]} has no primary ${SINGULAR[to]}`);
      typeIds.push(primaryType);
    }
    ctx.associations.add(from, fromId, to, toId, typeIds, 'UI');
    sendJson(res, 200, { [`${SINGULAR[from]}Id`]: fromId, [to]: associatedWithLabels(ctx, from, fromId, to) });
  });

  route(router, 'delete', '/_sim/ui/associations/:fromType/:fromId/:toType/:toId', (req, res) => {
    const from = parseObjectType(param(req, 'fromType'));
    const to = parseObjectType(param(req, 'toType'));
    assertPair(from, to);
    ctx.associations.remove(from, param(req, 'fromId'), to, param(req, 'toId'), 'UI');
    res.status(204).end();
  });

  return router;
}
