import { associationType, type AssociationChange } from './association-store';
import { OBJECT_TYPES, SINGULAR, type ObjectType } from './object-types';
import type { HubspotWebhookOptions } from './options';
import type { PropertyRegistry } from './properties';
import type { RecordChange, WriteSource } from './store-types';

/** One event as HubSpot delivers it (attemptNumber is filled in per delivery attempt). */
export interface HubspotEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId?: number;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: string;
  changeSource: string;
  sourceId?: string;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
  /** Merge events: the surviving record and the ones merged into it. */
  primaryObjectId?: number;
  mergedObjectIds?: number[];
}

const SUBSCRIPTION_KINDS = ['creation', 'deletion', 'propertyChange', 'associationChange', 'merge'] as const;

/** Stable fake subscription ids, one per subscription type, as if the app subscribed to all of them. */
function subscriptionId(type: ObjectType, kind: (typeof SUBSCRIPTION_KINDS)[number]): number {
  return (OBJECT_TYPES.indexOf(type) + 1) * 1_000 + SUBSCRIPTION_KINDS.indexOf(kind) + 1;
}

export interface EventSourceConfig {
  appId: number;
  portalId: number;
  webhook: HubspotWebhookOptions;
}

/** Turns store changes into HubSpot webhook events; seeding is silent. */
export class WebhookEventFactory {
  private nextEventId = 1;

  constructor(
    private readonly config: () => EventSourceConfig,
    private readonly registry: PropertyRegistry,
  ) {}

  fromRecord(change: RecordChange): HubspotEvent[] {
    if (change.source === 'SEED') return [];
    const type = change.type;
    const singular = SINGULAR[type];
    const objectId = Number(change.record.id);
    const base = (kind: (typeof SUBSCRIPTION_KINDS)[number]) => this.base(type, kind, change.at, change.source, change.kind === 'updated' ? change.userId : undefined);
    if (change.kind === 'archived') return [{ ...base('deletion'), subscriptionType: `${singular}.deletion`, objectId, changeFlag: 'DELETED' }];
    if (change.kind === 'merged') {
      // primaryObjectId and mergedObjectIds as HubSpot documents them; the changeFlag is UNCONFIRMED.
      const merge = { primaryObjectId: objectId, mergedObjectIds: [Number(change.merged.id)], changeFlag: 'MERGED' };
      return [{ ...base('merge'), subscriptionType: `${singular}.merge`, objectId, ...merge }];
    }
    const events: HubspotEvent[] = [];
    if (change.kind === 'created') events.push({ ...base('creation'), subscriptionType: `${singular}.creation`, objectId, changeFlag: 'NEW' });
    if (change.kind === 'updated' || this.config().webhook.propertyChangeOnCreate) {
      for (const [propertyName, value] of change.changes) {
        if (!this.subscribed(type, propertyName)) continue;
        events.push({
          ...base('propertyChange'),
          subscriptionType: `${singular}.propertyChange`,
          objectId,
          propertyName,
          propertyValue: value ?? '',
        });
      }
    }
    return events;
  }

  /** HubSpot fires one event per side (e.g. DEAL_TO_COMPANY, then COMPANY_TO_DEAL), the pair's own side first. */
  fromAssociation(change: AssociationChange, at: number): HubspotEvent[] {
    if (change.source === 'SEED') return [];
    const isPrimaryAssociation = associationType(change.typeId)?.primary === true;
    const { from, to } = change.pair;
    const side = (type: ObjectType, other: ObjectType, id: string, otherId: string): HubspotEvent => ({
      ...this.base(type, 'associationChange', at, change.source),
      subscriptionType: `${SINGULAR[type]}.associationChange`,
      associationType: `${SINGULAR[type].toUpperCase()}_TO_${SINGULAR[other].toUpperCase()}`,
      fromObjectId: Number(id),
      toObjectId: Number(otherId),
      associationRemoved: change.removed,
      isPrimaryAssociation,
    });
    return [side(from, to, change.fromId, change.toId), side(to, from, change.toId, change.fromId)];
  }

  private subscribed(type: ObjectType, propertyName: string): boolean {
    const only = this.config().webhook.propertyNames;
    if (only) return only.includes(propertyName);
    return this.registry.get(type, propertyName)?.modificationMetadata.readOnlyValue !== true;
  }

  private base(type: ObjectType, kind: (typeof SUBSCRIPTION_KINDS)[number], at: number, source: WriteSource, userId?: number) {
    const { appId, portalId, webhook } = this.config();
    const ui = source === 'UI';
    return {
      eventId: this.nextEventId++,
      subscriptionId: subscriptionId(type, kind),
      portalId,
      appId,
      occurredAt: at,
      attemptNumber: 0,
      changeSource: ui ? webhook.uiChangeSource : webhook.apiChangeSource,
      sourceId: ui ? `userId:${userId ?? webhook.uiUserId}` : String(appId),
    };
  }
}
