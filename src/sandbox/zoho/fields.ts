export const MODULES = ['Contacts', 'Accounts'] as const;
export type ModuleName = (typeof MODULES)[number];

export const MODULE_IDS: Record<ModuleName, string> = { Contacts: '5725767000000002179', Accounts: '5725767000000002177' };

export function resolveModule(raw: string): ModuleName | null {
  const lower = raw.toLowerCase();
  return MODULES.find((m) => m.toLowerCase() === lower) ?? null;
}

export const DATA_TYPES = [
  'text', 'textarea', 'email', 'phone', 'website', 'picklist', 'integer', 'bigint', 'double', 'currency', 'boolean',
  'date', 'datetime', 'lookup', 'ownerlookup',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

export interface FieldDef {
  id: string;
  api_name: string;
  field_label: string;
  data_type: DataType;
  length: number;
  /** {} = not unique (Zoho's own encoding); {case_sensitive} = unique. */
  unique: { case_sensitive?: boolean };
  system_mandatory: boolean;
  read_only: boolean;
  custom_field: boolean;
  lookupModule?: ModuleName;
  pickList?: string[];
}

type Spec = [apiName: string, label: string, type: DataType, length?: number, extra?: Partial<FieldDef>];

const RO = { read_only: true };
const MANDATORY = { system_mandatory: true };

const COMMON_TAIL: Spec[] = [
  ['Owner', 'Owner', 'ownerlookup', 120],
  ['Created_By', 'Created By', 'ownerlookup', 120, RO],
  ['Modified_By', 'Modified By', 'ownerlookup', 120, RO],
  ['Created_Time', 'Created Time', 'datetime', 120, RO],
  ['Modified_Time', 'Modified Time', 'datetime', 120, RO],
  ['Description', 'Description', 'textarea', 32000],
];

const SPECS: Record<ModuleName, Spec[]> = {
  Contacts: [
    ['First_Name', 'First Name', 'text', 40],
    ['Last_Name', 'Last Name', 'text', 80, MANDATORY],
    ['Full_Name', 'Full Name', 'text', 120, RO],
    ['Email', 'Email', 'email', 100],
    ['Secondary_Email', 'Secondary Email', 'email', 100],
    ['Phone', 'Phone', 'phone', 30],
    ['Mobile', 'Mobile', 'phone', 30],
    ['Title', 'Title', 'text', 100],
    ['Department', 'Department', 'text', 100],
    ['Account_Name', 'Account Name', 'lookup', 120, { lookupModule: 'Accounts' }],
    ['Lead_Source', 'Lead Source', 'picklist', 120, { pickList: ['Advertisement', 'Cold Call', 'Web Download', 'Partner', 'Trade Show'] }],
    // Not a standard Contacts field in Zoho: the sandbox org has it as a custom picklist (the "hot" rule reads it).
    ['Lead_Status', 'Lead Status', 'picklist', 120, { custom_field: true, pickList: ['Hot', 'Warm', 'Cold', 'Not Contacted', 'Contacted', 'Attempted to Contact'] }],
    ['Mailing_Street', 'Mailing Street', 'text', 250],
    ['Mailing_City', 'Mailing City', 'text', 100],
    ['Mailing_State', 'Mailing State', 'text', 100],
    ['Mailing_Zip', 'Mailing Zip', 'text', 30],
    ['Mailing_Country', 'Mailing Country', 'text', 100],
    ['Date_of_Birth', 'Date of Birth', 'date', 20],
    ['Email_Opt_Out', 'Email Opt Out', 'boolean', 5],
    ...COMMON_TAIL,
  ],
  Accounts: [
    ['Account_Name', 'Account Name', 'text', 200, MANDATORY],
    ['Phone', 'Phone', 'phone', 30],
    ['Website', 'Website', 'website', 255],
    ['Industry', 'Industry', 'picklist', 120],
    ['Account_Type', 'Account Type', 'picklist', 120, { pickList: ['Analyst', 'Competitor', 'Customer', 'Partner', 'Prospect', 'Other'] }],
    ['Employees', 'Employees', 'integer', 9],
    ['Annual_Revenue', 'Annual Revenue', 'currency', 16],
    ['Parent_Account', 'Parent Account', 'lookup', 120, { lookupModule: 'Accounts' }],
    ['Billing_Street', 'Billing Street', 'text', 250],
    ['Billing_City', 'Billing City', 'text', 100],
    ['Billing_State', 'Billing State', 'text', 100],
    ['Billing_Code', 'Billing Code', 'text', 30],
    ['Billing_Country', 'Billing Country', 'text', 100],
    ...COMMON_TAIL,
  ],
};

/** Fields the system reads or writes itself; values given for them in a write are ignored, as Zoho does. */
export const SYSTEM_FIELDS = new Set(['id', 'Created_By', 'Modified_By', 'Created_Time', 'Modified_Time', 'Full_Name']);

/** Upsert's system-defined duplicate-check field per module (https://zoho.com/crm/developer/docs/api/v8/upsert-records.html). */
export const SYSTEM_DUPLICATE_FIELD: Record<ModuleName, string> = { Contacts: 'Email', Accounts: 'Account_Name' };

export function standardFields(module: ModuleName, uniqueStandard: readonly string[]): FieldDef[] {
  const block = module === 'Contacts' ? '2' : '3';
  return SPECS[module].map(([api_name, field_label, data_type, length, extra], i) => ({
    id: `57257670000000${block}${String(5000 + i * 3).padStart(4, '0')}`,
    api_name,
    field_label,
    data_type,
    length: length ?? 255,
    unique: uniqueStandard.includes(api_name) ? { case_sensitive: false } : {},
    system_mandatory: false,
    read_only: false,
    custom_field: false,
    ...extra,
  }));
}

export function isUnique(field: FieldDef): boolean {
  return Object.keys(field.unique).length > 0;
}
