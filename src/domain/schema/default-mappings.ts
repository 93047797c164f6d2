import type { Condition } from './condition';
import type { FieldMappingInput } from './field-mapping';

/*
 * Zoho maximum lengths: First Name 40, Last Name 80, Email 100, Phone and Mobile 30, Title 100 are Zoho's documented
 * standard-field sizes. Zoho's help pages and field metadata disagree on Account Name (100 or 200), Website (30, 120
 * or 255) and address fields (30 or 100); the larger figures are used so that we never refuse what Zoho accepts
 * (UNCONFIRMED; Zoho still rejects anything longer). HubSpot documents no per-property limits that matter here.
 */

/**
 * Zoho Lead_Status (canonical) ↔ HubSpot lifecyclestage, for a Lead_Status picklist of this project's defaults.
 * Statuses without a lifecycle stage ("Not Contacted", "Contacted", "Attempted to Contact", …) are dropped: HubSpot
 * keeps its stage until Zoho moves to a status that has one.
 */
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
 * Industry: HubSpot's internal values against a Zoho picklist that uses their labels (adjust to your org's
 * picklist; Zoho's factory list shares almost nothing with HubSpot's). Unmapped values are dropped.
 */
const INDUSTRY_ZOHO_TO_HUBSPOT: Record<string, string> = {
  'Computer Software': 'COMPUTER_SOFTWARE',
  'Information Technology and Services': 'INFORMATION_TECHNOLOGY_AND_SERVICES',
  'Marketing and Advertising': 'MARKETING_AND_ADVERTISING',
  'Financial Services': 'FINANCIAL_SERVICES',
  'Hospital Health Care': 'HOSPITAL_HEALTH_CARE',
  Retail: 'RETAIL',
  Construction: 'CONSTRUCTION',
  'Logistics and Supply Chain': 'LOGISTICS_AND_SUPPLY_CHAIN',
  'Education Management': 'EDUCATION_MANAGEMENT',
  'Management Consulting': 'MANAGEMENT_CONSULTING',
  'Real Estate': 'REAL_ESTATE',
  'Food Beverages': 'FOOD_BEVERAGES',
  Automotive: 'AUTOMOTIVE',
  Telecommunications: 'TELECOMMUNICATIONS',
  Insurance: 'INSURANCE',
};
const INDUSTRY_HUBSPOT_TO_ZOHO: Record<string, string> = {
  ...invert(INDUSTRY_ZOHO_TO_HUBSPOT),
  // coarser on the way back: these read as a broader Zoho value, which round-trips without churn
  INTERNET: 'Information Technology and Services',
  BANKING: 'Financial Services',
};

function invert(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([from, to]) => [to, from]));
}

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
    transform: { kind: 'enum', zohoToHubspot: LEAD_STATUS_TO_LIFECYCLE, unmapped: 'drop' },
  },
  { name: 'city', hubspot: 'city', zoho: 'Mailing_City', validate: { maxLength: { zoho: 100 } } },
  { name: 'country', hubspot: 'country', zoho: 'Mailing_Country', validate: { maxLength: { zoho: 100 } } },
];

export const DEFAULT_COMPANY_MAPPINGS: FieldMappingInput[] = [
  { name: 'name', hubspot: 'name', zoho: 'Account_Name', validate: { required: ['zoho'], maxLength: { zoho: 200 } } },
  { name: 'domain', hubspot: 'domain', zoho: 'Website', transform: 'domain', validate: { format: 'domain', maxLength: { zoho: 255 } } },
  { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: 'phone', validate: { format: 'phone', maxLength: { zoho: 30 } } },
  {
    name: 'industry',
    hubspot: 'industry',
    zoho: 'Industry',
    direction: 'zoho-to-hubspot',
    transform: { kind: 'enum', zohoToHubspot: INDUSTRY_ZOHO_TO_HUBSPOT, hubspotToZoho: INDUSTRY_HUBSPOT_TO_ZOHO, unmapped: 'drop' },
  },
  { name: 'city', hubspot: 'city', zoho: 'Billing_City', validate: { maxLength: { zoho: 100 } } },
  { name: 'country', hubspot: 'country', zoho: 'Billing_Country', validate: { maxLength: { zoho: 100 } } },
  { name: 'employees', hubspot: 'numberofemployees', zoho: 'Employees', transform: 'number', validate: { format: 'integer' } },
];

/** HubSpot holds only hot contacts; every company qualifies (null). */
export const DEFAULT_HOT_CONTACT: Condition = { field: 'Lead_Status', op: 'equals', value: 'Hot' };
