import type { CrmObject } from '../../domain/records';

/** HubSpot's app. UNCONFIRMED beyond the US data centre: EU portals live on https://app-eu1.hubspot.com. */
export const HUBSPOT_APP_URL = 'https://app.hubspot.com';

// HubSpot's object type ids in record URLs: 0-1 contacts, 0-2 companies, 0-3 deals.
const OBJECT_TYPE_ID: Record<CrmObject, string> = { contact: '0-1', company: '0-2', deal: '0-3' };

/** Where a person opens the record in HubSpot; null without the portal (hub) id, which every record URL contains. */
export function hubspotRecordUrl(portalId: string | undefined, object: CrmObject, id: string, appUrl = HUBSPOT_APP_URL): string | null {
  if (!portalId) return null;
  return `${appUrl.replace(/\/+$/, '')}/contacts/${encodeURIComponent(portalId)}/record/${OBJECT_TYPE_ID[object]}/${encodeURIComponent(id)}`;
}
