import type { SyncRules } from '../../config/sync-rules';
import { CRM_OBJECTS } from '../../domain/records';
import { PermanentCrmError, TransientCrmError } from '../errors';
import type { ZohoHttp } from './http';
import { ZohoFieldsCreateResponse, ZohoFieldsResponse } from './schemas';
import { MODULE } from './snapshot';
import { classifyZohoError } from './zoho-errors';

/**
 * Creates the cross-reference field (HubSpot_ID) on Contacts and Accounts when missing: a unique text field, so
 * upsert can use it as its first duplicate check. Zoho derives the API name from the label (spaces → "_"), so the
 * label is the API name with spaces. The `unique` key's exact shape for field creation is UNCONFIRMED.
 */
export async function ensureZohoSchema(http: ZohoHttp, rules: SyncRules): Promise<void> {
  const apiName = rules.crossReference.zohoField;
  for (const object of CRM_OBJECTS) {
    const module = MODULE[object];
    if (await hasField(http, module, apiName)) continue;
    const response = await http.request('create field', {
      method: 'POST',
      path: '/crm/v8/settings/fields',
      params: { module },
      body: { fields: [{ field_label: apiName.replace(/_/g, ' '), data_type: 'text', length: 255, unique: { case_sensitive: false } }] },
    });
    const parsed = ZohoFieldsCreateResponse.safeParse(response.body);
    if (!parsed.success) throw new TransientCrmError(`Zoho field creation for ${module} answered an unexpected body`, response.status);
    const item = parsed.data.fields[0];
    // DUPLICATE_DATA: another worker created it since we looked.
    if (item?.status === 'error' && item.code !== 'DUPLICATE_DATA') throw classifyZohoError('create field', response.status, item, http.rateLimitDefaultMs);
    if (!(await hasField(http, module, apiName))) {
      throw new PermanentCrmError(`Zoho ${module}: created the cross-reference field but ${apiName} is still missing; create it by hand`);
    }
  }
}

async function hasField(http: ZohoHttp, module: string, apiName: string): Promise<boolean> {
  const { status, body } = await http.request('read fields', { method: 'GET', path: '/crm/v8/settings/fields', params: { module } });
  const parsed = ZohoFieldsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho field metadata for ${module} has an unexpected shape`, status);
  return parsed.data.fields.some((field) => field.api_name === apiName);
}
