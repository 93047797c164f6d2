import type { RecordRef } from '../domain/records';
import type { CrmLinkOptions } from './types';

/**
 * Defaults for the CRM record links. UNCONFIRMED beyond the US data centres: HubSpot EU portals live on
 * app-eu1.hubspot.com and Zoho has one domain per data centre (and org-specific paths), so both are configurable.
 */
export const DEFAULT_HUBSPOT_BASE_URL = 'https://app.hubspot.com';
export const DEFAULT_ZOHO_BASE_URL = 'https://crm.zoho.com/crm';

// HubSpot's object type ids in record URLs: 0-1 contacts, 0-2 companies.
const HUBSPOT_OBJECT_TYPE = { contact: '0-1', company: '0-2' } as const;
// Zoho module names: companies are "Accounts".
const ZOHO_MODULE = { contact: 'Contacts', company: 'Accounts' } as const;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Where a human opens the record in its CRM, or null when that cannot be built (no HubSpot portal id). */
export function recordUrl(ref: RecordRef, links: CrmLinkOptions): string | null {
  const id = encodeURIComponent(ref.id);
  if (ref.system === 'hubspot') {
    if (!links.hubspotPortalId) return null;
    const portal = encodeURIComponent(links.hubspotPortalId);
    return `${trimSlash(links.hubspotBaseUrl)}/contacts/${portal}/record/${HUBSPOT_OBJECT_TYPE[ref.object]}/${id}`;
  }
  return `${trimSlash(links.zohoBaseUrl)}/tab/${ZOHO_MODULE[ref.object]}/${id}`;
}

export function workflowUrl(webUiBaseUrl: string, namespace: string, workflowId: string): string {
  return `${trimSlash(webUiBaseUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Web UI's workflow list filtered by a visibility query, e.g. every record whose sync failed. */
export function workflowListUrl(webUiBaseUrl: string, namespace: string, query: string): string {
  return `${trimSlash(webUiBaseUrl)}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}
