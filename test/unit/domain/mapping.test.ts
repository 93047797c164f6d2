import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/domain/schema/sync-rules';
import { CRM_OBJECTS, type CrmObject, type FieldValues } from '../../../src/domain/records';
import {
  columnOf,
  crossReferenceField,
  crossReferenceFields,
  deleteActionFor,
  fromCanonical,
  matchKeysOf,
  readsFrom,
  representable,
  toCanonical,
  validateFor,
  wireFieldNames,
  writesTo,
} from '../../../src/domain';

const rules = DEFAULT_SYNC_RULES;
const SYSTEMS = ['hubspot', 'zoho', 'shop'];

/** Realistic canonical values for every default mapping (several per field where the transform has cases). */
const CANONICAL_SAMPLES: Record<CrmObject, Record<string, (string | null)[]>> = {
  contact: {
    email: ['ada.lovelace@example.com', 'j.o.hn+crm@sub.example.co.uk', null],
    firstName: ['Ada', 'Zoë', 'Jean-Luc', null],
    lastName: ['Lovelace', "O'Brien", 'van der Berg'],
    phone: ['+15551234567', '+442079460958', null],
    mobile: ['+447700900123', '+4930901820'],
    jobTitle: ['Head of Engineering', 'CTO'],
    leadStatus: ['Cold', 'Warm', 'Hot', 'Qualified', 'Opportunity', 'Customer', 'Evangelist', 'Other', null],
    city: ['London', 'São Paulo', null],
    country: ['United Kingdom', 'Brazil'],
  },
  company: {
    name: ['Acme Ltd', 'Initech, Inc.'],
    domain: ['acme.io', 'shop.example.co.uk', null],
    phone: ['+15551234567'],
    industry: ['Computer Software', 'Information Technology and Services', 'Hospital Health Care', null],
    city: ['Berlin'],
    country: ['Germany'],
    employees: ['250', '12000', '0', null],
    lifecycleStage: ['customer', 'lead', null],
  },
  deal: {
    name: ['Purchase 300001'],
    amount: ['129.5', '0', null],
    currency: ['EUR', 'JPY'],
    stage: ['contractsent', 'closedwon', 'closedlost'],
    closeDate: ['2026-01-05T10:00:00.000Z'],
  },
};

describe('round trip toCanonical(fromCanonical(x)) = x', () => {
  it('has samples for every default mapping', () => {
    for (const object of CRM_OBJECTS) {
      expect(Object.keys(CANONICAL_SAMPLES[object]).sort()).toEqual(rules.mappings[object].map((m) => m.name).sort());
    }
  });

  for (const object of CRM_OBJECTS) {
    for (const system of SYSTEMS) {
      for (const mapping of DEFAULT_SYNC_RULES.mappings[object]) {
        const samples = CANONICAL_SAMPLES[object][mapping.name] ?? [];
        it(`${object}.${mapping.name} via ${system}`, () => {
          for (const value of samples) {
            const wire = fromCanonical(rules, system, object, { [mapping.name]: value });
            if (!writesTo(mapping, system)) {
              expect(wire).toEqual({});
              continue;
            }
            expect(Object.keys(wire)).toEqual([columnOf(mapping, system)?.field]);
            // a column the hub only writes (HubSpot's deal columns) is never read back
            if (readsFrom(mapping, system)) expect(toCanonical(rules, system, object, wire)).toEqual({ [mapping.name]: value });
          }
        });
      }
    }
  }
});

describe('toCanonical', () => {
  it('normalises a HubSpot contact', () => {
    const raw = {
      email: ' Ada.Lovelace@Example.COM ',
      firstname: 'Ada ',
      lastname: 'Lovelace',
      phone: '(555) 123-4567',
      mobilephone: '',
      jobtitle: null,
      lifecyclestage: 'marketingqualifiedlead',
      hs_object_id: '512',
    };
    expect(toCanonical(rules, 'hubspot', 'contact', raw)).toEqual({
      email: 'ada.lovelace@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+15551234567',
      mobile: null,
      jobTitle: null,
      leadStatus: 'Hot',
    });
  });

  it('normalises a Zoho account with JSON types and leaves missing fields out', () => {
    const raw = { id: '5725767000000524157', Account_Name: ' Acme Ltd', Website: 'https://www.Acme.io/', Employees: 250, Industry: 'Large Enterprise' };
    expect(toCanonical(rules, 'zoho', 'company', raw)).toEqual({ name: 'Acme Ltd', domain: 'acme.io', employees: '250', industry: 'Large Enterprise' });
    expect(toCanonical(rules, 'zoho', 'company', { Industry: 'computer software', Phone: null })).toEqual({ industry: 'Computer Software', phone: null });
  });

  it('reads enum values case-insensitively into the canonical (Zoho) spelling', () => {
    expect(toCanonical(rules, 'zoho', 'contact', { Lead_Status: 'hot' })).toEqual({ leadStatus: 'Hot' });
    expect(toCanonical(rules, 'hubspot', 'contact', { lifecyclestage: 'Customer' })).toEqual({ leadStatus: 'Customer' });
  });

  it('reads coarser HubSpot enum values through its fromWire table', () => {
    expect(toCanonical(rules, 'hubspot', 'company', { industry: 'INTERNET' })).toEqual({ industry: 'Information Technology and Services' });
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Information Technology and Services' })).toEqual({
      industry: 'INFORMATION_TECHNOLOGY_AND_SERVICES',
    });
  });

  it('keeps unmapped values (unmapped: keep) and leaves out unmapped values (unmapped: drop)', () => {
    const keep = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email' } },
          { name: 'leadStatus', systems: { hubspot: 'lifecyclestage', zoho: 'Lead_Status' }, transform: { kind: 'enum', tables: { hubspot: { toWire: { Hot: 'lead' } } } } },
        ],
      },
    });
    expect(toCanonical(keep, 'hubspot', 'contact', { lifecyclestage: 'custom_stage' })).toEqual({ leadStatus: 'custom_stage' });
    expect(fromCanonical(keep, 'hubspot', 'contact', { leadStatus: 'Junk Lead' })).toEqual({ lifecyclestage: 'Junk Lead' });
    expect(toCanonical(rules, 'hubspot', 'contact', { lifecyclestage: 'custom_stage' })).toEqual({});
    expect(toCanonical(rules, 'hubspot', 'company', { industry: 'ACCOUNTING' })).toEqual({});
    expect(fromCanonical(rules, 'hubspot', 'contact', { leadStatus: 'Contacted' })).toEqual({});
    expect(fromCanonical(rules, 'zoho', 'contact', { leadStatus: 'Contacted' })).toEqual({ Lead_Status: 'Contacted' });
  });

  it('uses a per-field default country code over the global one', () => {
    const custom = parseSyncRules({
      phone: { defaultCountryCode: '49' },
      holds: {},
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email' }, transform: 'lowercase' },
          { name: 'phone', systems: { hubspot: 'phone', zoho: 'Phone' }, transform: { kind: 'phone', defaultCountryCode: '44' } },
          { name: 'mobile', systems: { hubspot: 'mobilephone', zoho: 'Mobile' }, transform: 'phone' },
        ],
      },
    });
    expect(toCanonical(custom, 'zoho', 'contact', { Phone: '07700 900123', Mobile: '030 901820' })).toEqual({
      phone: '+447700900123',
      mobile: '+4930901820',
    });
  });
});

describe('fromCanonical', () => {
  it('writes only the keys given, under wire names, with transforms applied', () => {
    const fields: FieldValues = { email: 'ada@example.com', leadStatus: 'Hot', city: null };
    expect(fromCanonical(rules, 'hubspot', 'contact', fields)).toEqual({ email: 'ada@example.com', lifecyclestage: 'marketingqualifiedlead', city: null });
    expect(fromCanonical(rules, 'zoho', 'contact', fields)).toEqual({ Email: 'ada@example.com', Lead_Status: 'Hot', Mailing_City: null });
  });

  it('writes the website as a URL to Zoho and the bare domain to HubSpot', () => {
    expect(fromCanonical(rules, 'zoho', 'company', { domain: 'acme.io' })).toEqual({ Website: 'https://acme.io' });
    expect(fromCanonical(rules, 'hubspot', 'company', { domain: 'acme.io' })).toEqual({ domain: 'acme.io' });
  });

  it('never writes a field to a system its column reads only', () => {
    expect(fromCanonical(rules, 'zoho', 'company', { industry: 'Retail', name: 'Acme' })).toEqual({ Account_Name: 'Acme' });
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Retail' })).toEqual({ industry: 'RETAIL' });
  });

  it('drops enum values without a HubSpot counterpart when unmapped is drop, and passes them to Zoho', () => {
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Large Enterprise' })).toEqual({});
    const hubspotToZohoRules = parseSyncRules({
      mappings: {
        company: [
          { name: 'name', systems: { hubspot: 'name', zoho: 'Account_Name' } },
          { name: 'industry', systems: { hubspot: 'industry', zoho: 'Industry' }, transform: { kind: 'enum', tables: { hubspot: { toWire: { Retail: 'RETAIL' } } }, unmapped: 'drop' } },
        ],
      },
    });
    expect(fromCanonical(hubspotToZohoRules, 'zoho', 'company', { industry: 'Large Enterprise' })).toEqual({ Industry: 'Large Enterprise' });
  });

  it('normalises hand-built canonical values and turns blanks into null', () => {
    expect(fromCanonical(rules, 'zoho', 'contact', { phone: '(555) 123-4567', email: ' ', firstName: '  Ada ' })).toEqual({
      Phone: '+15551234567',
      Email: null,
      First_Name: 'Ada',
    });
  });
});

describe('wireFieldNames', () => {
  it('lists every mapped field of the system, once; holds rules test canonical values and add none', () => {
    expect(wireFieldNames(rules, 'hubspot', 'contact')).toEqual(['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'jobtitle', 'lifecyclestage', 'city', 'country']);
    expect(wireFieldNames(rules, 'zoho', 'contact')).toEqual(['Email', 'First_Name', 'Last_Name', 'Phone', 'Mobile', 'Title', 'Lead_Status', 'Mailing_City', 'Mailing_Country']);
    expect(wireFieldNames(rules, 'zoho', 'company')).toContain('Website');
    expect(wireFieldNames(rules, 'hubspot', 'company')).toContain('industry');
    const withMobile = parseSyncRules({ holds: { hubspot: { contact: { all: [{ field: 'mobile', op: 'notEmpty' }, { field: 'leadStatus', op: 'equals', value: 'Hot' }] } } } });
    expect(wireFieldNames(withMobile, 'zoho', 'contact')).toEqual(wireFieldNames(rules, 'zoho', 'contact'));
    expect(wireFieldNames(rules, 'ledger', 'contact')).toEqual([]);
  });
});

describe('matchKeysOf', () => {
  it('uses the lowercased email for contacts', () => {
    expect(matchKeysOf('contact', { email: 'Ada@Example.com', lastName: 'Lovelace' })).toEqual({ email: 'ada@example.com' });
    expect(matchKeysOf('contact', { lastName: 'Lovelace' })).toEqual({ email: null });
  });

  it('uses the normalised domain and the exact name for companies', () => {
    expect(matchKeysOf('company', { domain: 'https://www.Acme.io/about', name: 'Acme Ltd' })).toEqual({ domain: 'acme.io', name: 'Acme Ltd' });
    expect(matchKeysOf('company', { name: null })).toEqual({ domain: null, name: null });
  });
});

describe('deleteActionFor', () => {
  it('follows the deletes config; a system it does not name unlinks', () => {
    expect(deleteActionFor(rules, 'zoho')).toBe('archive-counterpart');
    expect(deleteActionFor(rules, 'hubspot')).toBe('unlink');
    const custom = parseSyncRules({ deletes: { zoho: 'unlink', hubspot: 'delete-counterpart' } });
    expect(deleteActionFor(custom, 'zoho')).toBe('unlink');
    expect(deleteActionFor(custom, 'hubspot')).toBe('delete-counterpart');
    expect(deleteActionFor(custom, 'ledger')).toBe('unlink');
    expect(deleteActionFor(custom, 'constructor')).toBe('unlink');
  });
});

describe('crossReferenceField', () => {
  it('names the field of a system that holds another system\'s record id', () => {
    expect(crossReferenceField(rules, 'hubspot', 'zoho', 'contact')).toBe('zoho_record_id');
    expect(crossReferenceField(rules, 'zoho', 'hubspot', 'company')).toBe('HubSpot_ID');
    expect(crossReferenceField(rules, 'zoho', 'ledger', 'contact')).toBeUndefined();
    expect(crossReferenceFields(rules, 'ledger', 'contact')).toEqual({});
  });

  it('resolves a field given per object: the shop ids HubSpot keeps', () => {
    expect(crossReferenceFields(rules, 'hubspot', 'contact')).toEqual({ zoho: 'zoho_record_id', shop: 'shop_user_id' });
    expect(crossReferenceFields(rules, 'hubspot', 'company')).toEqual({ zoho: 'zoho_record_id', shop: 'shop_business_id' });
    expect(crossReferenceFields(rules, 'hubspot', 'deal')).toEqual({ zoho: 'zoho_record_id', shop: 'shop_purchase_id' });
  });
});

describe('domain transform options', () => {
  it('writes each system in its configured form, bare when not configured', () => {
    const urls = parseSyncRules({
      mappings: {
        company: [
          { name: 'name', systems: { hubspot: 'name', zoho: 'Account_Name' } },
          { name: 'domain', systems: { hubspot: 'website', zoho: 'Website', ledger: 'site' }, transform: { kind: 'domain', forms: { hubspot: 'url', zoho: 'bare' } } },
        ],
      },
    });
    expect(fromCanonical(urls, 'ledger', 'company', { domain: 'acme.io' })).toEqual({ site: 'acme.io' });
    expect(fromCanonical(urls, 'hubspot', 'company', { domain: 'acme.io' })).toEqual({ website: 'https://acme.io' });
    expect(fromCanonical(urls, 'zoho', 'company', { domain: 'acme.io' })).toEqual({ Website: 'acme.io' });
    expect(toCanonical(urls, 'hubspot', 'company', { website: 'http://www.acme.io/home' })).toEqual({ domain: 'acme.io' });
  });
});

describe('columns and directions', () => {
  const industry = rules.mappings.company.find((m) => m.name === 'industry')!;
  const email = rules.mappings.contact.find((m) => m.name === 'email')!;

  it('reads from a "from" column and writes to a "to" column; a system without a column does neither', () => {
    expect([readsFrom(industry, 'zoho'), writesTo(industry, 'zoho')]).toEqual([true, false]);
    expect([readsFrom(industry, 'hubspot'), writesTo(industry, 'hubspot')]).toEqual([false, true]);
    expect([readsFrom(email, 'hubspot'), writesTo(email, 'hubspot')]).toEqual([true, true]);
    expect([readsFrom(email, 'ledger'), writesTo(email, 'ledger'), columnOf(email, 'ledger')]).toEqual([false, false, undefined]);
    expect(columnOf(email, 'toString')).toBeUndefined();
  });

  it('still reads the current value of a write-only column (the merge compares it)', () => {
    expect(toCanonical(rules, 'hubspot', 'company', { industry: 'RETAIL' })).toEqual({ industry: 'Retail' });
  });

  it('knows which canonical values a system can hold', () => {
    const status = rules.mappings.contact.find((m) => m.name === 'leadStatus')!;
    expect(representable(rules, status, 'hubspot', 'Contacted')).toBe(false);
    expect(representable(rules, status, 'hubspot', 'Hot')).toBe(true);
    expect(representable(rules, status, 'hubspot', null)).toBe(true);
    expect(representable(rules, status, 'zoho', 'Contacted')).toBe(true);
  });
});

describe('a third system', () => {
  const three = parseSyncRules({
    priority: ['zoho', 'hubspot', 'ledger'],
    mappings: {
      contact: [
        { name: 'email', systems: { hubspot: 'email', zoho: 'Email', ledger: 'customer_email' }, transform: 'lowercase', validate: { format: 'email' } },
        { name: 'lastName', systems: { hubspot: 'lastname', zoho: { field: 'Last_Name', required: true }, ledger: { field: 'surname', maxLength: 10, required: true } } },
        { name: 'leadStatus', systems: { hubspot: 'lifecyclestage', zoho: 'Lead_Status', ledger: { field: 'tier', direction: 'to' } }, transform: DEFAULT_SYNC_RULES.mappings.contact[6]!.transform },
        {
          name: 'credit',
          systems: { ledger: { field: 'credit_limit', direction: 'from' }, zoho: 'Credit_Limit' },
          transform: 'number',
          validate: { format: 'number', requiredIf: [{ when: { field: 'leadStatus', op: 'equals', value: 'Customer' }, in: ['zoho'] }] },
        },
      ],
    },
  });

  it('reads its columns into canonical values, with no enum table of its own reading canonical values', () => {
    expect(toCanonical(three, 'ledger', 'contact', { customer_email: ' Ada@Example.com', surname: 'Lovelace', tier: 'hot', credit_limit: 1500, other: 'x' })).toEqual({
      email: 'ada@example.com',
      lastName: 'Lovelace',
      leadStatus: 'Hot',
      credit: '1500',
    });
    expect(wireFieldNames(three, 'ledger', 'contact')).toEqual(['customer_email', 'surname', 'tier', 'credit_limit']);
  });

  it('writes only the columns that write to it, under its own field names', () => {
    const fields: FieldValues = { email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Contacted', credit: '1500' };
    expect(fromCanonical(three, 'ledger', 'contact', fields)).toEqual({ customer_email: 'ada@example.com', surname: 'Lovelace', tier: 'Contacted' });
    expect(fromCanonical(three, 'zoho', 'contact', fields)).toEqual({ Email: 'ada@example.com', Last_Name: 'Lovelace', Lead_Status: 'Contacted', Credit_Limit: '1500' });
    expect(fromCanonical(three, 'hubspot', 'contact', fields)).toEqual({ email: 'ada@example.com', lastname: 'Lovelace' });
  });

  it('validates against its own column: required, maximum length, and required-if rules that name it', () => {
    expect(validateFor(three, 'ledger', 'contact', { email: 'ada@example.com' }, { creating: true })).toEqual([
      { field: 'lastName', reason: 'is required (ledger field "surname")' },
    ]);
    expect(validateFor(three, 'ledger', 'contact', { lastName: 'Lovelace-Byron' }, { creating: false })).toEqual([
      { field: 'lastName', reason: 'is 14 characters long; the maximum is 10 (ledger field "surname")' },
    ]);
    expect(validateFor(three, 'zoho', 'contact', { lastName: 'Lovelace-Byron' }, { creating: false })).toEqual([]);
    const customer = { email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Customer' };
    expect(validateFor(three, 'ledger', 'contact', customer, { creating: true })).toEqual([]);
    expect(validateFor(three, 'zoho', 'contact', customer, { creating: true })).toEqual([
      { field: 'credit', reason: 'is required when leadStatus equals "Customer" (zoho field "Credit_Limit")' },
    ]);
    expect(validateFor(three, 'ledger', 'contact', { email: 'not-an-email' }, { creating: false })).toEqual([
      { field: 'email', reason: '"not-an-email" is not a valid email address (ledger field "customer_email")' },
    ]);
  });
});
