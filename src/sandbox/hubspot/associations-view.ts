import { associationType, pairOf, typeLabel, unlabeledFrom, type AssociationPair } from './association-store';
import type { SimContext } from './context';
import { HubspotError, notFound, validation } from './errors';
import { OBJECT_TYPE_IDS, type ObjectType } from './object-types';
import { livePartners } from './serialize';

export interface AssociatedWithLabel {
  toObjectId: number | string;
  associationTypes: Array<{ category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null }>;
}

export function assertPair(from: ObjectType, to: ObjectType): AssociationPair {
  const pair = pairOf(from, to);
  if (!pair) throw validation(`Associations between ${from} and ${to} are not supported by this simulator`);
  return pair;
}

export function liveRecord(ctx: SimContext, type: ObjectType, id: string): void {
  const record = ctx.stores[type].get(id);
  if (!record || record.archived) throw notFound(id);
}

/** Type ids a request may write from `from` to `to`: HUBSPOT_DEFINED ones of that direction (1/279 contact→company, …). */
export function checkTypes(from: ObjectType, to: ObjectType, specs: Array<{ associationCategory: string; associationTypeId: number }>): number[] {
  return specs.map((spec) => {
    const type = associationType(spec.associationTypeId);
    if (spec.associationCategory !== 'HUBSPOT_DEFINED' || type?.from !== from || type.to !== to) {
      throw new HubspotError(400, 'VALIDATION_ERROR', `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type from ${from} to ${to}`);
    }
    return spec.associationTypeId;
  });
}

/** The v4 view of one record's associations to `to` records, live partners only, by ascending id. */
export function associatedWithLabels(ctx: SimContext, from: ObjectType, id: string, to: ObjectType): AssociatedWithLabel[] {
  return livePartners(from, id, to, ctx.associations, ctx.stores)
    .sort((a, b) => Number(a.toId) - Number(b.toId))
    .map(({ toId, typeIds }) => ({
      toObjectId: ctx.options.numericAssociationIds ? Number(toId) : toId,
      associationTypes: typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED' as const, typeId, label: typeLabel(typeId) })),
    }));
}

export function labelsBetween(ctx: SimContext, from: ObjectType, fromId: string, to: ObjectType, toId: string) {
  const entry = ctx.associations.list(from, fromId, to).find((item) => item.toId === toId);
  const id = (value: string) => (ctx.options.numericAssociationIds ? Number(value) : value);
  return {
    fromObjectTypeId: OBJECT_TYPE_IDS[from],
    fromObjectId: id(fromId),
    toObjectTypeId: OBJECT_TYPE_IDS[to],
    toObjectId: id(toId),
    labels: (entry?.typeIds ?? []).map(typeLabel).filter((label): label is string => label !== null),
  };
}

/** Both directions of a default (unlabeled) association as createDefault reports them, the pair's own side first. */
export function defaultResults(pair: AssociationPair, from: ObjectType, fromId: string, toId: string) {
  const [pairFromId, pairToId] = from === pair.from ? [fromId, toId] : [toId, fromId];
  const spec = (associationTypeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId });
  return [
    { from: { id: pairFromId }, to: { id: pairToId }, associationSpec: spec(unlabeledFrom(pair, pair.from)) },
    { from: { id: pairToId }, to: { id: pairFromId }, associationSpec: spec(unlabeledFrom(pair, pair.to)) },
  ];
}
