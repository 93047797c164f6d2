import { hubspotAdmin, zohoAdmin, type HubspotRecord, type ZohoRecord } from '../../test/support/sim-client';
import { CONTACT_FIELDS, FIELD_NAMES, type CrmSnapshot, type FieldName, type SeenRecord } from './oracle';

/** The person-facing side of both CRM simulators: what a person does in them, and what they hold. */
export function crmAdmins(urls: { hubspot: string; zoho: string }) {
  return { hubspot: hubspotAdmin(urls.hubspot), zoho: zohoAdmin(urls.zoho) };
}
export type CrmAdmins = ReturnType<typeof crmAdmins>;

/** Every live contact of both CRMs (archived and deleted ones are gone for a person). */
export async function readContacts(admins: CrmAdmins): Promise<CrmSnapshot> {
  const [hubspot, zoho] = await Promise.all([admins.hubspot.records('contacts'), admins.zoho.records('Contacts')]);
  return {
    hubspot: hubspot.filter((r) => r.archived !== true).map(seenInHubspot),
    zoho: zoho.filter((r) => r.$deleted !== true).map(seenInZoho),
  };
}

function seenInHubspot(record: HubspotRecord): SeenRecord {
  const fields: Partial<Record<FieldName, string | null>> = {};
  for (const name of FIELD_NAMES) fields[name] = record.properties[CONTACT_FIELDS[name].hubspot] ?? null;
  return { id: record.id, email: record.properties.email ?? null, fields };
}

function seenInZoho(record: ZohoRecord): SeenRecord {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const fields: Partial<Record<FieldName, string | null>> = {};
  for (const name of FIELD_NAMES) fields[name] = text(record[CONTACT_FIELDS[name].zoho]);
  return { id: record.id, email: text(record.Email), fields };
}
