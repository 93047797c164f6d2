import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/config/sync-rules';
import { CRM_OBJECTS, CRM_SYSTEMS, type CrmObject, type FieldValues } from '../../../src/domain/records';
import { deleteActionFor, fromCanonical, matchKeysOf, toCanonical, wireFieldNames } from '../../../src/domain';

const rules = DEFAULT_SYNC_RULES;

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
  },
};

describe('round trip toCanonical(fromCanonical(x)) = x', () => {
  it('has samples for every default mapping', () => {
    for (const object of CRM_OBJECTS) {
      expect(Object.keys(CANONICAL_SAMPLES[object]).sort()).toEqual(rules.mappings[object].map((m) => m.name).sort());
    }
  });

  for (const object of CRM_OBJECTS) {
    for (const system of CRM_SYSTEMS) {
      for (const mapping of DEFAULT_SYNC_RULES.mappings[object]) {
        const samples = CANONICAL_SAMPLES[object][mapping.name] ?? [];
        it(`${object}.${mapping.name} via ${system}`, () => {
          for (const value of samples) {
            const wire = fromCanonical(rules, system, object, { [mapping.name]: value });
            const writable = mapping.direction === 'both' || mapping.direction === (system === 'hubspot' ? 'zoho-to-hubspot' : 'hubspot-to-zoho');
            if (!writable) {
              expect(wire).toEqual({});
              continue;
            }
            expect(Object.keys(wire)).toEqual([mapping[system]]);
            expect(toCanonical(rules, system, object, wire)).toEqual({ [mapping.name]: value });
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

  it('reads coarser HubSpot enum values through hubspotToZoho', () => {
    expect(toCanonical(rules, 'hubspot', 'company', { industry: 'INTERNET' })).toEqual({ industry: 'Information Technology and Services' });
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Information Technology and Services' })).toEqual({
      industry: 'INFORMATION_TECHNOLOGY_AND_SERVICES',
    });
  });

  it('keeps unmapped values (unmapped: keep) and leaves out unmapped values (unmapped: drop)', () => {
    const keep = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email' },
          { name: 'leadStatus', hubspot: 'lifecyclestage', zoho: 'Lead_Status', transform: { kind: 'enum', zohoToHubspot: { Hot: 'lead' } } },
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
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email', transform: 'lowercase' },
          { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: { kind: 'phone', defaultCountryCode: '44' } },
          { name: 'mobile', hubspot: 'mobilephone', zoho: 'Mobile', transform: 'phone' },
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

  it('never writes a field to a side its direction excludes', () => {
    expect(fromCanonical(rules, 'zoho', 'company', { industry: 'Retail', name: 'Acme' })).toEqual({ Account_Name: 'Acme' });
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Retail' })).toEqual({ industry: 'RETAIL' });
  });

  it('drops enum values without a HubSpot counterpart when unmapped is drop, and passes them to Zoho', () => {
    expect(fromCanonical(rules, 'hubspot', 'company', { industry: 'Large Enterprise' })).toEqual({});
    const hubspotToZohoRules = parseSyncRules({
      mappings: {
        company: [
          { name: 'name', hubspot: 'name', zoho: 'Account_Name' },
          { name: 'industry', hubspot: 'industry', zoho: 'Industry', transform: { kind: 'enum', zohoToHubspot: { Retail: 'RETAIL' }, unmapped: 'drop' } },
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
  it('lists every mapped field and, for Zoho, the hot rule fields once', () => {
    expect(wireFieldNames(rules, 'hubspot', 'contact')).toEqual(['email', 'firstname', 'lastname', 'phone', 'mobilephone', 'jobtitle', 'lifecyclestage', 'city', 'country']);
    expect(wireFieldNames(rules, 'zoho', 'contact')).toEqual(['Email', 'First_Name', 'Last_Name', 'Phone', 'Mobile', 'Title', 'Lead_Status', 'Mailing_City', 'Mailing_Country']);
    expect(wireFieldNames(rules, 'zoho', 'company')).toContain('Website');
    const withRating = parseSyncRules({ hot: { contact: { all: [{ field: 'Rating', op: 'notEmpty' }, { field: 'Lead_Status', op: 'equals', value: 'Hot' }] } } });
    const names = wireFieldNames(withRating, 'zoho', 'contact');
    expect(names.filter((n) => n === 'Lead_Status')).toHaveLength(1);
    expect(names).toContain('Rating');
    expect(wireFieldNames(withRating, 'hubspot', 'contact')).not.toContain('Rating');
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
  it('follows the deletes config', () => {
    expect(deleteActionFor(rules, 'zoho')).toBe('archive-counterpart');
    expect(deleteActionFor(rules, 'hubspot')).toBe('unlink');
    const custom = parseSyncRules({ deletes: { zoho: 'unlink', hubspot: 'delete-counterpart' } });
    expect(deleteActionFor(custom, 'zoho')).toBe('unlink');
    expect(deleteActionFor(custom, 'hubspot')).toBe('delete-counterpart');
  });
});

describe('domain transform options', () => {
  it('writes each side in its configured form', () => {
    const urls = parseSyncRules({
      mappings: { company: [{ name: 'name', hubspot: 'name', zoho: 'Account_Name' }, { name: 'domain', hubspot: 'website', zoho: 'Website', transform: { kind: 'domain', hubspot: 'url', zoho: 'bare' } }] },
    });
    expect(fromCanonical(urls, 'hubspot', 'company', { domain: 'acme.io' })).toEqual({ website: 'https://acme.io' });
    expect(fromCanonical(urls, 'zoho', 'company', { domain: 'acme.io' })).toEqual({ Website: 'acme.io' });
    expect(toCanonical(urls, 'hubspot', 'company', { website: 'http://www.acme.io/home' })).toEqual({ domain: 'acme.io' });
  });
});
