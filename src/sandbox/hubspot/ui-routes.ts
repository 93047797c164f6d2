import { Router } from 'express';
import { z } from 'zod';
import { param, route } from '../common/route';
import { PRIMARY_CONTACT_TO_COMPANY, UNLABELED_CONTACT_TO_COMPANY } from './association-store';
import { associatedWithLabels, liveRecord } from './associations-view';
import type { SimContext } from './context';
import { sendJson } from './errors';
import { parseObjectType, type ObjectType } from './object-types';
import { archiveRecord, createRecord, MergeInput, mergeRecords, PropertiesInput, resolve, updateRecord } from './records';
import { toPublic } from './serialize';
import type { StoredRecord } from './store-types';
import { parseBody } from './validate';

const Body = z.object({ properties: PropertiesInput });
const AssociationBody = z.object({ primary: z.boolean().default(false) });

/** Everything the record holds, as a person would see it on the record page. */
export function fullRecord(type: ObjectType, record: StoredRecord) {
  return toPublic(type, record, { properties: Object.keys(record.properties) });
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
    sendJson(res, 200, fullRecord(type, updateRecord(ctx, type, record, parseBody(Body, req.body).properties, 'UI')));
  });

  route(router, 'delete', '/_sim/ui/:objectType/:objectId', (req, res) => {
    const type = parseObjectType(param(req, 'objectType'));
    archiveRecord(ctx, type, resolve(ctx, type, param(req, 'objectId')), 'UI');
    res.status(204).end();
  });

  // Body {"primary": true} also makes the company the contact's primary one (replacing any other primary).
  route(router, 'put', '/_sim/ui/associations/contacts/:contactId/companies/:companyId', (req, res) => {
    const contactId = param(req, 'contactId');
    const companyId = param(req, 'companyId');
    liveRecord(ctx, 'contacts', contactId);
    liveRecord(ctx, 'companies', companyId);
    const { primary } = parseBody(AssociationBody, req.body);
    ctx.associations.add(contactId, companyId, primary ? [PRIMARY_CONTACT_TO_COMPANY, UNLABELED_CONTACT_TO_COMPANY] : [UNLABELED_CONTACT_TO_COMPANY], 'UI');
    sendJson(res, 200, { contactId, companies: associatedWithLabels(ctx, 'contacts', contactId) });
  });

  route(router, 'delete', '/_sim/ui/associations/contacts/:contactId/companies/:companyId', (req, res) => {
    ctx.associations.remove(param(req, 'contactId'), param(req, 'companyId'), 'UI');
    res.status(204).end();
  });

  return router;
}
