import type { Condition } from './condition';
import type { FieldMappingInput } from './field-mapping';

/*
 * The default configuration: the one place outside the systems' own folders that names them, because a fresh install
 * syncs HubSpot and Zoho out of the box. A rules file overrides any of it.
 */

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

const LEAD_STATUS = { kind: 'enum', tables: { hubspot: { toWire: LEAD_STATUS_TO_LIFECYCLE } }, unmapped: 'drop' } as const;
const INDUSTRY = { kind: 'enum', tables: { hubspot: { toWire: INDUSTRY_ZOHO_TO_HUBSPOT, fromWire: INDUSTRY_HUBSPOT_TO_ZOHO } }, unmapped: 'drop' } as const;

/*
 * The shop's purchase status → HubSpot's default pipeline (stage ids of the pipeline with id "default"; checked against
 * the account's pipeline when the worker starts). Paid and fulfilled both close the deal as won; a refund or a
 * cancellation closes it as lost.
 */
export const PURCHASE_STATUS_TO_DEAL_STAGE: Record<string, string> = {
  pending: 'contractsent',
  paid: 'closedwon',
  fulfilled: 'closedwon',
  refunded: 'closedlost',
  cancelled: 'closedlost',
};
const DEAL_STAGE_TO_PURCHASE_STATUS: Record<string, string> = { contractsent: 'pending', closedwon: 'fulfilled', closedlost: 'refunded' };

export const DEFAULT_CONTACT_MAPPINGS: FieldMappingInput[] = [
  { name: 'email', systems: { hubspot: 'email', zoho: { field: 'Email', maxLength: 100 }, shop: 'email' }, transform: 'lowercase', validate: { format: 'email' } },
  { name: 'firstName', systems: { hubspot: 'firstname', zoho: { field: 'First_Name', maxLength: 40 }, shop: 'first_name' } },
  { name: 'lastName', systems: { hubspot: 'lastname', zoho: { field: 'Last_Name', maxLength: 80, required: true }, shop: 'last_name' } },
  { name: 'phone', systems: { hubspot: 'phone', zoho: { field: 'Phone', maxLength: 30 } }, transform: 'phone', validate: { format: 'phone' } },
  { name: 'mobile', systems: { hubspot: 'mobilephone', zoho: { field: 'Mobile', maxLength: 30 } }, transform: 'phone', validate: { format: 'phone' } },
  { name: 'jobTitle', systems: { hubspot: 'jobtitle', zoho: { field: 'Title', maxLength: 100 } } },
  { name: 'leadStatus', systems: { hubspot: 'lifecyclestage', zoho: 'Lead_Status' }, transform: LEAD_STATUS },
  { name: 'city', systems: { hubspot: 'city', zoho: { field: 'Mailing_City', maxLength: 100 } } },
  { name: 'country', systems: { hubspot: 'country', zoho: { field: 'Mailing_Country', maxLength: 100 } } },
];

export const DEFAULT_COMPANY_MAPPINGS: FieldMappingInput[] = [
  { name: 'name', systems: { hubspot: 'name', zoho: { field: 'Account_Name', maxLength: 200, required: true }, shop: 'name' } },
  {
    name: 'domain',
    systems: { hubspot: 'domain', zoho: { field: 'Website', maxLength: 255 }, shop: 'domain' },
    transform: { kind: 'domain', forms: { hubspot: 'bare', zoho: 'url', shop: 'bare' } },
    validate: { format: 'domain' },
  },
  { name: 'phone', systems: { hubspot: 'phone', zoho: { field: 'Phone', maxLength: 30 } }, transform: 'phone', validate: { format: 'phone' } },
  { name: 'industry', systems: { hubspot: { field: 'industry', direction: 'to' }, zoho: { field: 'Industry', direction: 'from' } }, transform: INDUSTRY },
  { name: 'city', systems: { hubspot: 'city', zoho: { field: 'Billing_City', maxLength: 100 } } },
  { name: 'country', systems: { hubspot: 'country', zoho: { field: 'Billing_Country', maxLength: 100 } } },
  { name: 'employees', systems: { hubspot: 'numberofemployees', zoho: 'Employees' }, transform: 'number', validate: { format: 'integer' } },
  // HubSpot's lifecycle stage of a company, in HubSpot's values: what the shop's holds rule looks at
  { name: 'lifecycleStage', systems: { hubspot: 'lifecyclestage' } },
];

/**
 * A purchase becomes a HubSpot deal and is never written back (the shop is where purchases are made): the shop's
 * columns are read only, HubSpot's written only, so a deal edited in HubSpot is put back as the purchase says.
 */
export const DEFAULT_DEAL_MAPPINGS: FieldMappingInput[] = [
  { name: 'name', systems: { hubspot: { field: 'dealname', direction: 'to' }, shop: { field: 'name', direction: 'from' } } },
  { name: 'amount', systems: { hubspot: { field: 'amount', direction: 'to' }, shop: { field: 'amount', direction: 'from' } }, validate: { format: 'number' } },
  { name: 'currency', systems: { hubspot: { field: 'deal_currency_code', direction: 'to' }, shop: { field: 'currency', direction: 'from' } } },
  {
    name: 'stage',
    systems: { hubspot: { field: 'dealstage', direction: 'to' }, shop: { field: 'status', direction: 'from' } },
    // canonical values are HubSpot's stage ids (checked against the pipeline at start); toWire only matters to a rules
    // file that writes deals back to the shop
    transform: { kind: 'enum', tables: { shop: { toWire: DEAL_STAGE_TO_PURCHASE_STATUS, fromWire: PURCHASE_STATUS_TO_DEAL_STAGE } }, unmapped: 'drop' },
  },
  { name: 'closeDate', systems: { hubspot: { field: 'closedate', direction: 'to' }, shop: { field: 'created_at', direction: 'from' } } },
];

/** Zoho is the master: it wins ties and, on first link, its non-empty values win; the shop comes last. */
export const DEFAULT_PRIORITY = ['zoho', 'hubspot', 'shop'];

/**
 * HubSpot holds the "hot" contacts used for inbound marketing, a contact a deal there needs (one who purchased), and
 * a company only when a record it holds needs it. The shop holds the customers: a contact or company is created there
 * when it becomes one; purchases are only ever made in the shop. Zoho (not listed) holds everything.
 */
export const DEFAULT_HOT_CONTACT: Condition = { field: 'leadStatus', op: 'equals', value: 'Hot' };
export const DEFAULT_HOLDS: Record<string, { contact?: Condition | boolean; company?: Condition | boolean; deal?: Condition | boolean }> = {
  hubspot: { contact: DEFAULT_HOT_CONTACT, company: false },
  shop: { contact: { field: 'leadStatus', op: 'equals', value: 'Customer' }, company: { field: 'lifecycleStage', op: 'equals', value: 'customer' }, deal: false },
};

/**
 * A Zoho delete archives the HubSpot record; a HubSpot or shop delete only unlinks (the master keeps the record, and a
 * user who closes a shop account is still a contact).
 */
export const DEFAULT_DELETES: Record<string, 'unlink' | 'archive-counterpart' | 'delete-counterpart'> = { zoho: 'archive-counterpart', hubspot: 'unlink', shop: 'unlink' };

/**
 * Where each system keeps the others' record ids, so links can be rebuilt from the systems alone. HubSpot keeps the
 * shop's ids in properties of their own per object, declared unique: records are matched by them, never by names. The
 * shop keeps the CRMs' ids in its records' `external_ids`, under these keys.
 */
export const DEFAULT_CROSS_REFERENCES: Record<string, Record<string, string | { contact?: string; company?: string; deal?: string }>> = {
  hubspot: { zoho: 'zoho_record_id', shop: { contact: 'shop_user_id', company: 'shop_business_id', deal: 'shop_purchase_id' } },
  zoho: { hubspot: 'HubSpot_ID' },
  // purchases take no commands, so only users and businesses learn the CRMs' ids
  shop: { hubspot: { contact: 'hubspot', company: 'hubspot' }, zoho: { contact: 'zoho', company: 'zoho' } },
};
