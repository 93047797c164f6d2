import type { Condition } from './condition';
import type { FieldMappingInput } from './field-mapping';

/*
 * Zoho maximum lengths follow Zoho's "Standard Fields" help pages (First Name 40, Last Name 80, Email 100, Phone and
 * Mobile 30, Title 100, Account Name 100, address city/country 30). The Website limit (120) is taken from the Leads
 * page because the Accounts page's 30 cannot hold ordinary URLs (UNCONFIRMED). HubSpot documents no per-property
 * length limits that matter here, so none are set.
 */

/** Zoho Lead_Status (canonical) ↔ HubSpot lifecyclestage. Statuses are this project's defaults: adjust to your picklist. */
const LEAD_STATUS_TO_LIFECYCLE: Record<string, string> = {
  Cold: 'subscriber',
  Warm: 'lead',
  Hot: 'marketingqualifiedlead',
  Qualified: 'salesqualifiedlead',
  Opportunity: 'opportunity',
  Customer: 'customer',
  Evangelist: 'evangelist',
  Other: 'other',
};

/*
 * Zoho's default Industry picklist and HubSpot's industry enumeration share few values; unmapped ones are dropped
 * (never written to HubSpot) rather than failing the record. HubSpot internal values are UNCONFIRMED examples.
 */
const INDUSTRY_ZOHO_TO_HUBSPOT: Record<string, string> = {
  'ERP (Enterprise Resource Planning)': 'COMPUTER_SOFTWARE',
  'Systems Integrator': 'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'Government/Military': 'GOVERNMENT_ADMINISTRATION',
  'Wireless Industry': 'WIRELESS',
  'Storage Equipment': 'COMPUTER_HARDWARE',
  'Network Equipment Enterprise': 'COMPUTER_NETWORKING',
  'Data/Telecom OEM': 'TELECOMMUNICATIONS',
};
const INDUSTRY_HUBSPOT_TO_ZOHO: Record<string, string> = {
  COMPUTER_SOFTWARE: 'ERP (Enterprise Resource Planning)',
  INFORMATION_TECHNOLOGY_AND_SERVICES: 'Systems Integrator',
  // coarser on the way back: several HubSpot industries read as one Zoho value, which round-trips without churn
  INTERNET: 'Systems Integrator',
  GOVERNMENT_ADMINISTRATION: 'Government/Military',
  MILITARY: 'Government/Military',
  WIRELESS: 'Wireless Industry',
  COMPUTER_HARDWARE: 'Storage Equipment',
  COMPUTER_NETWORKING: 'Network Equipment Enterprise',
  TELECOMMUNICATIONS: 'Data/Telecom OEM',
};

export const DEFAULT_CONTACT_MAPPINGS: FieldMappingInput[] = [
  { name: 'email', hubspot: 'email', zoho: 'Email', transform: 'lowercase', validate: { format: 'email', maxLength: { zoho: 100 } } },
  { name: 'firstName', hubspot: 'firstname', zoho: 'First_Name', validate: { maxLength: { zoho: 40 } } },
  { name: 'lastName', hubspot: 'lastname', zoho: 'Last_Name', validate: { required: ['zoho'], maxLength: { zoho: 80 } } },
  { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: 'phone', validate: { format: 'phone', maxLength: { zoho: 30 } } },
  { name: 'mobile', hubspot: 'mobilephone', zoho: 'Mobile', transform: 'phone', validate: { format: 'phone', maxLength: { zoho: 30 } } },
  { name: 'jobTitle', hubspot: 'jobtitle', zoho: 'Title', validate: { maxLength: { zoho: 100 } } },
  {
    name: 'leadStatus',
    hubspot: 'lifecyclestage',
    zoho: 'Lead_Status',
    transform: { kind: 'enum', zohoToHubspot: LEAD_STATUS_TO_LIFECYCLE },
  },
  { name: 'city', hubspot: 'city', zoho: 'Mailing_City', validate: { maxLength: { zoho: 30 } } },
  { name: 'country', hubspot: 'country', zoho: 'Mailing_Country', validate: { maxLength: { zoho: 30 } } },
];

export const DEFAULT_COMPANY_MAPPINGS: FieldMappingInput[] = [
  { name: 'name', hubspot: 'name', zoho: 'Account_Name', validate: { required: ['zoho'], maxLength: { zoho: 100 } } },
  { name: 'domain', hubspot: 'domain', zoho: 'Website', transform: 'domain', validate: { format: 'domain', maxLength: { zoho: 120 } } },
  { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: 'phone', validate: { format: 'phone', maxLength: { zoho: 30 } } },
  {
    name: 'industry',
    hubspot: 'industry',
    zoho: 'Industry',
    direction: 'zoho-to-hubspot',
    transform: { kind: 'enum', zohoToHubspot: INDUSTRY_ZOHO_TO_HUBSPOT, hubspotToZoho: INDUSTRY_HUBSPOT_TO_ZOHO, unmapped: 'drop' },
  },
  { name: 'city', hubspot: 'city', zoho: 'Billing_City', validate: { maxLength: { zoho: 30 } } },
  { name: 'country', hubspot: 'country', zoho: 'Billing_Country', validate: { maxLength: { zoho: 30 } } },
  { name: 'employees', hubspot: 'numberofemployees', zoho: 'Employees', transform: 'number', validate: { format: 'integer' } },
];

/** HubSpot holds only hot contacts; every company qualifies (null). */
export const DEFAULT_HOT_CONTACT: Condition = { field: 'Lead_Status', op: 'equals', value: 'Hot' };
