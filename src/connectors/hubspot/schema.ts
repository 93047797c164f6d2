import type { SyncRules } from '../../config/sync-rules';
import { CRM_OBJECTS, type CrmObject } from '../../domain/records';
import { ConflictError, NotFoundError, PermanentCrmError } from '../errors';
import type { HubspotApi } from './api';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from './sdk-enums';
import { OBJECT_TYPE } from './snapshot';

const GROUP: Record<CrmObject, string> = { contact: 'contactinformation', company: 'companyinformation' };

/**
 * Creates the cross-reference property (zoho_record_id) on contacts and companies when missing. It must be unique:
 * company creates upsert by it, and a duplicate value is what turns a retried create into an update.
 */
export async function ensureHubspotSchema(api: HubspotApi, rules: SyncRules): Promise<void> {
  const name = rules.crossReference.hubspotProperty;
  for (const object of CRM_OBJECTS) {
    const objectType = OBJECT_TYPE[object];
    try {
      const existing = await api.call('read property', (client, options) =>
        client.crm.properties.coreApi.getByName(objectType, name, false, undefined, options),
      );
      if (existing.hasUniqueValue !== true) {
        throw new PermanentCrmError(
          `HubSpot ${objectType} property ${name} exists but is not unique; HubSpot cannot change that, so rename the ` +
            'existing property (or configure another crossReference.hubspotProperty) and restart',
        );
      }
      continue;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    try {
      await api.call('create property', (client, options) =>
        client.crm.properties.coreApi.create(
          objectType,
          {
            name,
            label: 'Zoho record ID',
            description: 'Id of the linked Zoho CRM record, written by crm-sync.',
            type: PropertyCreateTypeEnum.String,
            fieldType: PropertyCreateFieldTypeEnum.Text,
            groupName: GROUP[object],
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
}
