import type { Request } from 'express';
import { queryList, queryString } from '../common/route';
import type { SimContext } from './context';
import type { ObjectType } from './object-types';
import { associationsBlock, toPublic, type SimplePublicObject } from './serialize';
import type { StoredRecord } from './store-types';

export interface ReadParams {
  properties: string[];
  propertiesWithHistory: string[];
  associations: string[];
  archived: boolean;
}

/** Query parameters shared by GET-one and list; arrays may be repeated or comma-joined. */
export function readParams(req: Request): ReadParams {
  return {
    properties: queryList(req, 'properties'),
    propertiesWithHistory: queryList(req, 'propertiesWithHistory'),
    associations: queryList(req, 'associations'),
    archived: queryString(req, 'archived') === 'true',
  };
}

export function render(ctx: SimContext, type: ObjectType, record: StoredRecord, params: Omit<ReadParams, 'archived'>): SimplePublicObject {
  const out = toPublic(type, record, params);
  if (params.associations.length > 0) {
    const block = associationsBlock(type, record.id, params.associations, ctx.associations, ctx.stores);
    if (block) out.associations = block;
  }
  return out;
}
