import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/domain/schema/sync-rules';
import { validateFor } from '../../../src/domain';

const rules = DEFAULT_SYNC_RULES;
const create = { creating: true };
const update = { creating: false };

describe('validateFor', () => {
  it('accepts a valid contact for both targets', () => {
    const fields = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', phone: '+15551234567', leadStatus: 'Hot' };
    expect(validateFor(rules, 'zoho', 'contact', fields, create)).toEqual([]);
    expect(validateFor(rules, 'hubspot', 'contact', fields, create)).toEqual([]);
  });

  describe('required fields', () => {
    it('requires Zoho Last_Name on create (missing or null) but not HubSpot lastname', () => {
      expect(validateFor(rules, 'zoho', 'contact', { email: 'ada@example.com' }, create)).toEqual([
        { field: 'lastName', reason: 'is required (zoho field "Last_Name")' },
      ]);
      expect(validateFor(rules, 'zoho', 'contact', { email: 'ada@example.com', lastName: null }, create)).toHaveLength(1);
      expect(validateFor(rules, 'hubspot', 'contact', { email: 'ada@example.com' }, create)).toEqual([]);
    });

    it('on update, allows leaving a required field out but not clearing it', () => {
      expect(validateFor(rules, 'zoho', 'contact', { firstName: 'Ada' }, update)).toEqual([]);
      expect(validateFor(rules, 'zoho', 'contact', { lastName: null }, update)).toEqual([
        { field: 'lastName', reason: 'is required and cannot be cleared (zoho field "Last_Name")' },
      ]);
    });

    it('requires Account_Name for Zoho accounts', () => {
      expect(validateFor(rules, 'zoho', 'company', { domain: 'acme.io' }, create)).toEqual([
        { field: 'name', reason: 'is required (zoho field "Account_Name")' },
      ]);
    });
  });

  describe('required-if', () => {
    const hotNeedsMobile = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email' }, transform: 'lowercase' },
          { name: 'leadStatus', systems: { hubspot: 'hs_lead_status', zoho: 'Lead_Status' } },
          {
            name: 'mobile',
            systems: { hubspot: 'mobilephone', zoho: 'Mobile' },
            transform: 'phone',
            validate: { requiredIf: [{ when: { field: 'leadStatus', op: 'equals', value: 'Hot' }, in: ['hubspot'] }] },
          },
        ],
      },
    });

    it('requires Mobile when Lead_Status is Hot, in the targets the rule names', () => {
      const fields = { email: 'ada@example.com', leadStatus: 'Hot' };
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', fields, create)).toEqual([
        { field: 'mobile', reason: 'is required when leadStatus equals "Hot" (hubspot field "mobilephone")' },
      ]);
      expect(validateFor(hotNeedsMobile, 'zoho', 'contact', fields, create)).toEqual([]);
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { ...fields, mobile: '+447700900123' }, create)).toEqual([]);
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { ...fields, leadStatus: 'Warm' }, create)).toEqual([]);
    });

    it('on update, reads the whole record and checks only when the patch touches the rule', () => {
      const record = { email: 'ada@example.com', leadStatus: 'Hot', mobile: null };
      // the record already broke the rule, but this patch changes neither field: not this write's problem
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { email: 'ada@new.example.com' }, { creating: false, record })).toEqual([]);
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { leadStatus: 'Hot' }, { creating: false, record })).toHaveLength(1);
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { mobile: null }, { creating: false, record })).toHaveLength(1);
      const withMobile = { ...record, mobile: '+447700900123' };
      expect(validateFor(hotNeedsMobile, 'hubspot', 'contact', { leadStatus: 'Hot' }, { creating: false, record: withMobile })).toEqual([]);
    });
  });

  describe('formats', () => {
    it.each([
      ['email', 'not-an-email', 'is not a valid email address'],
      ['email', 'a@b', 'is not a valid email address'],
      ['phone', 'n/a', 'is not a phone number in +<country code><number> form'],
      ['phone', '+123', 'is not a phone number in +<country code><number> form'],
    ])('contact %s %p', (field, value, message) => {
      const problems = validateFor(rules, 'hubspot', 'contact', { [field]: value }, update);
      expect(problems).toEqual([{ field, reason: expect.stringContaining(message) }]);
      expect(problems[0]?.reason).toContain(JSON.stringify(value));
    });

    it('checks integers and domains on companies', () => {
      expect(validateFor(rules, 'zoho', 'company', { employees: '12.5' }, update)).toEqual([
        { field: 'employees', reason: '"12.5" is not a whole number (zoho field "Employees")' },
      ]);
      expect(validateFor(rules, 'zoho', 'company', { employees: '250', domain: 'acme.io' }, update)).toEqual([]);
      expect(validateFor(rules, 'hubspot', 'company', { domain: 'not a domain' }, update)).toEqual([
        { field: 'domain', reason: '"not a domain" is not a domain name (hubspot field "domain")' },
      ]);
    });

    it('checks number format', () => {
      const numeric = parseSyncRules({
        mappings: {
          company: [
            { name: 'name', systems: { hubspot: 'name', zoho: 'Account_Name' } },
            { name: 'revenue', systems: { hubspot: 'annualrevenue', zoho: 'Annual_Revenue' }, transform: 'number', validate: { format: 'number' } },
          ],
        },
      });
      expect(validateFor(numeric, 'zoho', 'company', { revenue: '1250.5' }, update)).toEqual([]);
      expect(validateFor(numeric, 'zoho', 'company', { revenue: 'lots' }, update)).toHaveLength(1);
    });

    it('ignores empty values', () => {
      expect(validateFor(rules, 'hubspot', 'contact', { email: null, phone: null }, update)).toEqual([]);
    });
  });

  describe('maximum lengths', () => {
    it('measures the value as written to the target, per target', () => {
      const long = 'x'.repeat(41);
      expect(validateFor(rules, 'zoho', 'contact', { firstName: long }, update)).toEqual([
        { field: 'firstName', reason: 'is 41 characters long; the maximum is 40 (zoho field "First_Name")' },
      ]);
      expect(validateFor(rules, 'hubspot', 'contact', { firstName: long }, update)).toEqual([]);
      expect(validateFor(rules, 'zoho', 'contact', { firstName: 'x'.repeat(40) }, update)).toEqual([]);
    });

    it('counts the https:// Zoho adds to a website', () => {
      const label = 'a'.repeat(60);
      const domain = `${label}.${label}.${label}.${'b'.repeat(60)}.com`; // 247 characters, 255 with https://
      expect(validateFor(rules, 'zoho', 'company', { domain }, update)).toEqual([]);
      const longer = `${label}.${label}.${label}.${'b'.repeat(61)}.com`;
      expect(validateFor(rules, 'zoho', 'company', { domain: longer }, update)).toEqual([
        { field: 'domain', reason: expect.stringContaining('256 characters long; the maximum is 255') },
      ]);
    });

    it('counts characters, not UTF-16 units', () => {
      expect(validateFor(rules, 'zoho', 'contact', { firstName: '😀'.repeat(40) }, update)).toEqual([]);
    });
  });

  describe('enumerations', () => {
    const keep = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email' } },
          {
            name: 'leadStatus',
            systems: { hubspot: 'lifecyclestage', zoho: 'Lead_Status' },
            transform: { kind: 'enum', tables: { hubspot: { toWire: { Hot: 'marketingqualifiedlead' } } } },
          },
        ],
      },
    });

    it('reports values outside the table, for either target, when unmapped is keep', () => {
      expect(validateFor(keep, 'hubspot', 'contact', { leadStatus: 'Junk Lead' }, update)).toEqual([
        { field: 'leadStatus', reason: '"Junk Lead" is not in the value table of this enumeration (hubspot field "lifecyclestage")' },
      ]);
      expect(validateFor(keep, 'zoho', 'contact', { leadStatus: 'in_progress' }, create)).toEqual([
        { field: 'leadStatus', reason: '"in_progress" is not in the value table of this enumeration (zoho field "Lead_Status")' },
      ]);
      expect(validateFor(keep, 'hubspot', 'contact', { leadStatus: 'hot' }, update)).toEqual([]);
    });

    it('does not report values that unmapped: drop never writes', () => {
      expect(validateFor(rules, 'hubspot', 'company', { industry: 'Large Enterprise' }, update)).toEqual([]);
      expect(validateFor(rules, 'hubspot', 'contact', { leadStatus: 'Contacted' }, update)).toEqual([]);
    });
  });

  it('skips columns that never write to the target', () => {
    const oneWay = parseSyncRules({
      holds: {},
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email' }, transform: 'lowercase' },
          {
            name: 'score',
            systems: { hubspot: { field: 'hubspotscore', direction: 'from' }, zoho: { field: 'Score', direction: 'to', required: true } },
            transform: 'number',
            validate: { format: 'integer' },
          },
        ],
      },
    });
    expect(validateFor(oneWay, 'hubspot', 'contact', { score: 'high' }, create)).toEqual([]);
    expect(validateFor(oneWay, 'zoho', 'contact', { score: 'high' }, create)).toHaveLength(1);
    expect(validateFor(oneWay, 'zoho', 'contact', {}, create)).toEqual([{ field: 'score', reason: 'is required (zoho field "Score")' }]);
  });
});
