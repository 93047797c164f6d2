import type { ObjectType } from './object-types';
import { DEAL_PIPELINES } from './pipelines';

export type PropertyType = 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool' | 'phone_number';

/** The subset of HubSpot's property definition the simulator needs; the API adds the bookkeeping fields. */
export interface PropertySpec {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: Array<{ label: string; value: string; displayOrder?: number; hidden?: boolean }>;
  hasUniqueValue?: boolean;
  /** Values only HubSpot writes (ids, modification stamps). */
  readOnlyValue?: boolean;
  hubspotDefined?: boolean;
}

const text = (name: string, label: string, groupName: string): PropertySpec => ({
  name, label, type: 'string', fieldType: 'text', groupName, hubspotDefined: true,
});
const num = (name: string, label: string, groupName: string): PropertySpec => ({
  name, label, type: 'number', fieldType: 'number', groupName, hubspotDefined: true,
});
const stamp = (name: string, label: string, groupName: string, readOnlyValue: boolean): PropertySpec => ({
  name, label, type: 'datetime', fieldType: 'date', groupName, readOnlyValue, hubspotDefined: true,
});

const LIFECYCLE = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
const lifecycle: PropertySpec = {
  name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', groupName: 'contactinformation',
  hubspotDefined: true, options: LIFECYCLE.map((value, i) => ({ label: value, value, displayOrder: i })),
};

const CONTACT: PropertySpec[] = [
  { ...text('email', 'Email', 'contactinformation'), fieldType: 'text' },
  text('firstname', 'First Name', 'contactinformation'),
  text('lastname', 'Last Name', 'contactinformation'),
  { ...text('phone', 'Phone Number', 'contactinformation'), type: 'string', fieldType: 'phonenumber' },
  { ...text('mobilephone', 'Mobile Phone Number', 'contactinformation'), fieldType: 'phonenumber' },
  text('company', 'Company Name', 'contactinformation'),
  text('jobtitle', 'Job Title', 'contactinformation'),
  text('website', 'Website URL', 'contactinformation'),
  text('address', 'Street Address', 'contactinformation'),
  text('city', 'City', 'contactinformation'),
  text('state', 'State/Region', 'contactinformation'),
  text('zip', 'Postal Code', 'contactinformation'),
  text('country', 'Country/Region', 'contactinformation'),
  lifecycle,
  text('hs_lead_status', 'Lead Status', 'sales_properties'),
  text('hubspot_owner_id', 'Contact owner', 'sales_properties'),
  stamp('createdate', 'Create Date', 'contactinformation', false),
  stamp('lastmodifieddate', 'Last Modified Date', 'contactinformation', true),
  { ...num('hs_object_id', 'Record ID', 'contactinformation'), readOnlyValue: true },
  { ...text('hs_merged_object_ids', 'Merged Contact IDs', 'contactinformation'), readOnlyValue: true },
];

const COMPANY: PropertySpec[] = [
  text('name', 'Company name', 'companyinformation'),
  { ...text('domain', 'Company Domain Name', 'companyinformation'), fieldType: 'text' },
  text('hs_additional_domains', 'Additional Domains', 'companyinformation'),
  text('website', 'Website URL', 'companyinformation'),
  { ...text('phone', 'Phone Number', 'companyinformation'), fieldType: 'phonenumber' },
  text('address', 'Street Address', 'companyinformation'),
  text('city', 'City', 'companyinformation'),
  text('state', 'State/Region', 'companyinformation'),
  text('zip', 'Postal Code', 'companyinformation'),
  text('country', 'Country/Region', 'companyinformation'),
  text('industry', 'Industry', 'companyinformation'),
  num('numberofemployees', 'Number of Employees', 'companyinformation'),
  num('annualrevenue', 'Annual Revenue', 'companyinformation'),
  text('description', 'Description', 'companyinformation'),
  { ...lifecycle, groupName: 'companyinformation' },
  text('hubspot_owner_id', 'Company owner', 'companyinformation'),
  stamp('createdate', 'Create Date', 'companyinformation', false),
  stamp('hs_lastmodifieddate', 'Last Modified Date', 'companyinformation', true),
  { ...num('hs_object_id', 'Record ID', 'companyinformation'), readOnlyValue: true },
  { ...text('hs_merged_object_ids', 'Merged Company IDs', 'companyinformation'), readOnlyValue: true },
];

const select = (name: string, label: string, options: ReadonlyArray<{ id: string; label: string }>): PropertySpec => ({
  name, label, type: 'enumeration', fieldType: 'select', groupName: 'dealinformation', hubspotDefined: true,
  options: options.map((option, displayOrder) => ({ label: option.label, value: option.id, displayOrder })),
});

const DEAL: PropertySpec[] = [
  text('dealname', 'Deal Name', 'dealinformation'),
  num('amount', 'Amount', 'dealinformation'),
  // The account's currencies are its options in HubSpot; without any, every code is accepted.
  select('deal_currency_code', 'Currency', []),
  select('pipeline', 'Pipeline', DEAL_PIPELINES),
  select('dealstage', 'Deal Stage', DEAL_PIPELINES.flatMap((pipeline) => pipeline.stages)),
  stamp('closedate', 'Close Date', 'dealinformation', false),
  select('dealtype', 'Deal Type', [{ id: 'newbusiness', label: 'New Business' }, { id: 'existingbusiness', label: 'Existing Business' }]),
  { ...text('description', 'Deal Description', 'dealinformation'), fieldType: 'textarea' },
  text('hubspot_owner_id', 'Deal owner', 'dealinformation'),
  stamp('createdate', 'Create Date', 'dealinformation', false),
  stamp('hs_lastmodifieddate', 'Last Modified Date', 'dealinformation', true),
  { ...num('hs_object_id', 'Record ID', 'dealinformation'), readOnlyValue: true },
  { ...text('hs_merged_object_ids', 'Merged Deal IDs', 'dealinformation'), readOnlyValue: true },
];

export const DEFAULT_PROPERTIES: Record<ObjectType, PropertySpec[]> = { contacts: CONTACT, companies: COMPANY, deals: DEAL };

/** Properties returned when a read names none (HubSpot's documented defaults). */
export const DEFAULT_READ_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
};

/** Properties the free-text `query` of search looks at. */
export const QUERY_PROPERTIES: Record<ObjectType, string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'phone', 'company'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
};
