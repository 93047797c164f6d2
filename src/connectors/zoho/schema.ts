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
  // one read of each module's fields, the modules side by side: every call counts against the org's daily API credits
  await Promise.all(ZOHO_OBJECTS.map((object) => ensureFields(http, moduleOf(object), Object.values(crossReferenceFields(rules, ZOHO, object)))));
}

async function ensureFields(http: ZohoHttp, module: string, apiNames: string[]): Promise<void> {
  if (apiNames.length === 0) return;
  const present = await fieldsOf(http, module);
  const missing = apiNames.filter((apiName) => !present.has(apiName));
  if (missing.length === 0) return;
  for (const apiName of missing) await createField(http, module, apiName);
  const after = await fieldsOf(http, module);
  const still = missing.filter((apiName) => !after.has(apiName));
  if (still.length > 0) throw new PermanentCrmError(`Zoho ${module}: created the cross-reference field but ${still.join(', ')} is still missing; create it by hand`);
}

async function createField(http: ZohoHttp, module: string, apiName: string): Promise<void> {
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
}

async function fieldsOf(http: ZohoHttp, module: string): Promise<Set<string>> {
  const { status, body } = await http.request('read fields', { method: 'GET', path: '/crm/v8/settings/fields', params: { module } });
  const parsed = ZohoFieldsResponse.safeParse(body);
  if (!parsed.success) throw new TransientCrmError(`Zoho field metadata for ${module} has an unexpected shape`, status);
  return new Set(parsed.data.fields.map((field) => field.api_name));
}
