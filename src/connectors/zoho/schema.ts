import { crossReferenceFields } from '../../domain/mapping';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { PermanentCrmError, TransientCrmError } from '../errors';
import type { ZohoHttp } from './http';
import { ZohoFieldsCreateResponse, ZohoFieldsResponse } from './schemas';
import { moduleOf, ZOHO, ZOHO_OBJECTS } from './snapshot';
import { classifyZohoError } from './zoho-errors';

/**
 * Creates each cross-reference field the rules give Zoho (HubSpot_ID by default) on Contacts and Accounts when
 * missing: unique text fields, so upsert can use them as its first duplicate checks. Zoho derives the API name from
 * the label (spaces → "_"), so the label is the API name with spaces. The `unique` key's exact shape for field
 * creation is UNCONFIRMED.
 */
export async function ensureZohoSchema(http: ZohoHttp, rules: SyncRules): Promise<void> {
  for (const object of ZOHO_OBJECTS) {
    for (const apiName of Object.values(crossReferenceFields(rules, ZOHO, object))) await ensureField(http, moduleOf(object), apiName);
  }
}

async function ensureField(http: ZohoHttp, module: string, apiName: string): Promise<void> {
  if (await hasField(http, module, apiName)) return;
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

async function hasField(http: ZohoHttp, module: string, apiName: string): Promise<boolean> {
  const { status, body } = await http.request('read fields', { method: 'GET', path: '/crm/v8/settings/fields', params: { module } });
  const parsed = ZohoFieldsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho field metadata for ${module} has an unexpected shape`, status);
  return parsed.data.fields.some((field) => field.api_name === apiName);
}
