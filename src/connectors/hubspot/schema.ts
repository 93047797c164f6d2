import { crossReferenceFields } from '../../domain/mapping';
import { CRM_OBJECTS, type CrmObject } from '../../domain/records';
import type { SyncRules } from '../../domain/schema/sync-rules';
import { ConflictError, NotFoundError, PermanentCrmError } from '../errors';
import type { HubspotApi } from './api';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from './sdk-enums';
import { HUBSPOT, OBJECT_TYPE } from './snapshot';

const GROUP: Record<CrmObject, string> = { contact: 'contactinformation', company: 'companyinformation', deal: 'dealinformation' };

/**
 * Creates each cross-reference property the rules give HubSpot (zoho_record_id by default) on contacts and companies
 * when missing. They must be unique: creates upsert by them, and a duplicate value is what turns a retried create into
 * an update.
 */
export async function ensureHubspotSchema(api: HubspotApi, rules: SyncRules): Promise<void> {
  for (const object of CRM_OBJECTS) {
    for (const [other, name] of Object.entries(crossReferenceFields(rules, HUBSPOT, object))) await ensureProperty(api, OBJECT_TYPE[object], GROUP[object], other, name);
  }
}

async function ensureProperty(api: HubspotApi, objectType: string, groupName: string, other: string, name: string): Promise<void> {
  try {
    const existing = await api.call('read property', (client, options) =>
      client.crm.properties.coreApi.getByName(objectType, name, false, undefined, options),
    );
    if (existing.hasUniqueValue === true) return;
    throw new PermanentCrmError(
      `HubSpot ${objectType} property ${name} exists but is not unique; HubSpot cannot change that, so rename the ` +
        `existing property (or configure another crossReference.${HUBSPOT}.${other}) and restart`,
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  try {
    await api.call('create property', (client, options) =>
      client.crm.properties.coreApi.create(
        objectType,
        {
          name,
          label: `Record ID in ${other}`,
          description: `Id of the linked ${other} record, written by crm-sync.`,
          type: PropertyCreateTypeEnum.String,
          fieldType: PropertyCreateFieldTypeEnum.Text,
          groupName,
          hasUniqueValue: true,
          formField: false,
        },
        options,
      ),
    );
  } catch (error) {
    // Another worker created it between our read and our create.
    if (!(error instanceof ConflictError)) throw error;
  }
}
