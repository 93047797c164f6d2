import { contactSide, TYPE_LABEL, UNLABELED_CONTACT_TO_COMPANY } from './association-store';
import type { SimContext } from './context';
import { HubspotError, notFound, validation } from './errors';
import { OBJECT_TYPE_IDS, otherType, type ObjectType } from './object-types';
import type { WriteSource } from './store-types';

export interface AssociatedWithLabel {
  toObjectId: number | string;
  associationTypes: Array<{ category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null }>;
}

/** Which type ids may be written from a side (1/279 from contacts, 2/280 from companies). */
const ALLOWED_FROM: Record<ObjectType, number[]> = { contacts: [1, 279], companies: [2, 280] };

export function assertPair(from: ObjectType, to: ObjectType): void {
  if (to !== otherType(from)) throw validation(`Associations between ${from} and ${to} are not supported by this simulator`);
}

export function liveRecord(ctx: SimContext, type: ObjectType, id: string): void {
  const record = ctx.stores[type].get(id);
  if (!record || record.archived) throw notFound(id);
}

export function checkTypes(from: ObjectType, specs: Array<{ associationCategory: string; associationTypeId: number }>): number[] {
  return specs.map((spec) => {
    if (spec.associationCategory !== 'HUBSPOT_DEFINED' || !ALLOWED_FROM[from].includes(spec.associationTypeId)) {
      throw new HubspotError(400, 'VALIDATION_ERROR', `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type from ${from}`);
    }
    return contactSide(spec.associationTypeId);
  });
}

/** Orders a pair as (contactId, companyId), whichever side the request came from. */
export function contactCompany(from: ObjectType, fromId: string, toId: string): [string, string] {
  return from === 'contacts' ? [fromId, toId] : [toId, fromId];
}

export function associate(ctx: SimContext, from: ObjectType, fromId: string, toId: string, typeIds: number[], source: WriteSource): void {
  const [contactId, companyId] = contactCompany(from, fromId, toId);
  ctx.associations.add(contactId, companyId, typeIds, source);
}

/** The v4 view of one record's associations to the other type, live partners only, by ascending id. */
export function associatedWithLabels(ctx: SimContext, from: ObjectType, id: string): AssociatedWithLabel[] {
  const to = otherType(from);
  return ctx.associations
    .list(from, id)
    .filter(({ toId }) => ctx.stores[to].get(toId)?.archived === false)
    .sort((a, b) => Number(a.toId) - Number(b.toId))
    .map(({ toId, typeIds }) => ({
      toObjectId: ctx.options.numericAssociationIds ? Number(toId) : toId,
      associationTypes: typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED' as const, typeId, label: TYPE_LABEL[typeId] ?? null })),
    }));
}

export function labelsBetween(ctx: SimContext, from: ObjectType, fromId: string, toId: string) {
  const to = otherType(from);
  const entry = ctx.associations.list(from, fromId).find((item) => item.toId === toId);
  const id = (value: string) => (ctx.options.numericAssociationIds ? Number(value) : value);
  return {
    fromObjectTypeId: OBJECT_TYPE_IDS[from],
    fromObjectId: id(fromId),
    toObjectTypeId: OBJECT_TYPE_IDS[to],
    toObjectId: id(toId),
    labels: (entry?.typeIds ?? []).map((typeId) => TYPE_LABEL[typeId]).filter((label): label is string => typeof label === 'string'),
  };
}

/** Both directions of a default (unlabeled) association, as createDefault reports them. */
export function defaultResults(from: ObjectType, fromId: string, toId: string) {
  const [contactId, companyId] = contactCompany(from, fromId, toId);
  const spec = (associationTypeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId });
  return [
    { from: { id: contactId }, to: { id: companyId }, associationSpec: spec(UNLABELED_CONTACT_TO_COMPANY) },
    { from: { id: companyId }, to: { id: contactId }, associationSpec: spec(280) },
  ];
}
