import { moduleOf } from '../../connectors/zoho/snapshot';
import type { CrmObject } from '../../domain/records';

/**
 * Everything before `/tab/...` in Zoho CRM's URLs. UNCONFIRMED beyond the US data centre: Zoho has one domain per data
 * centre (https://crm.zoho.eu/crm, …) and org-specific paths (…/crm/org123456).
 */
export const ZOHO_CRM_URL = 'https://crm.zoho.com/crm';

/** Where a person opens the record in Zoho CRM. */
export function zohoRecordUrl(object: CrmObject, id: string, crmUrl = ZOHO_CRM_URL): string {
  return `${crmUrl.replace(/\/+$/, '')}/tab/${moduleOf(object)}/${encodeURIComponent(id)}`;
}
