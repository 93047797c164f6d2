import { PRIMARY_CONTACT_TO_COMPANY, type AssociationChange } from './association-store';
import { SINGULAR, type ObjectType } from './object-types';
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
  return (type === 'contacts' ? 1_000 : 2_000) + SUBSCRIPTION_KINDS.indexOf(kind) + 1;
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
    const base = (kind: (typeof SUBSCRIPTION_KINDS)[number]) => this.base(type, kind, change.at, change.source);
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

  /** HubSpot fires one event per side for contact↔company associations. */
  fromAssociation(change: AssociationChange, at: number): HubspotEvent[] {
    if (change.source === 'SEED') return [];
    const isPrimaryAssociation = change.typeId === PRIMARY_CONTACT_TO_COMPANY;
    const contact = Number(change.contactId);
    const company = Number(change.companyId);
    return [
      {
        ...this.base('contacts', 'associationChange', at, change.source),
        subscriptionType: 'contact.associationChange',
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: contact,
        toObjectId: company,
        associationRemoved: change.removed,
        isPrimaryAssociation,
      },
      {
        ...this.base('companies', 'associationChange', at, change.source),
        subscriptionType: 'company.associationChange',
        associationType: 'COMPANY_TO_CONTACT',
        fromObjectId: company,
        toObjectId: contact,
        associationRemoved: change.removed,
        isPrimaryAssociation,
      },
    ];
  }

  private subscribed(type: ObjectType, propertyName: string): boolean {
    const only = this.config().webhook.propertyNames;
    if (only) return only.includes(propertyName);
    return this.registry.get(type, propertyName)?.modificationMetadata.readOnlyValue !== true;
  }

  private base(type: ObjectType, kind: (typeof SUBSCRIPTION_KINDS)[number], at: number, source: WriteSource) {
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
      sourceId: ui ? `userId:${webhook.uiUserId}` : String(appId),
    };
  }
}
