import { upgradeLegacyRules } from '../../../src/domain/schema/legacy-rules';
import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/domain/schema/sync-rules';
import { holdsOnItsOwn } from '../../../src/domain';
import { rulesErrorOf } from './rules-error';


/** The built-in rules as a file of the two-system format spelled them, every default written out. */
const OLD_DEFAULT_FILE = {
  master: 'zoho',
  hot: { contact: { field: 'Lead_Status', op: 'equals', value: 'Hot' }, company: false },
  deletes: { zoho: 'archive-counterpart', hubspot: 'unlink' },
  crossReference: { hubspotProperty: 'zoho_record_id', zohoField: 'HubSpot_ID' },
  phone: { defaultCountryCode: '1' },
  mappings: {
    contact: [
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
        transform: {
          kind: 'enum',
          zohoToHubspot: {
            Cold: 'subscriber', Warm: 'lead', Hot: 'marketingqualifiedlead', Qualified: 'salesqualifiedlead',
            Opportunity: 'opportunity', Customer: 'customer', Evangelist: 'evangelist', Other: 'other',
          },
          unmapped: 'drop',
        },
      },
      { name: 'city', hubspot: 'city', zoho: 'Mailing_City', validate: { maxLength: { zoho: 100 } } },
      { name: 'country', hubspot: 'country', zoho: 'Mailing_Country', validate: { maxLength: { zoho: 100 } } },
    ],
    company: [
      { name: 'name', hubspot: 'name', zoho: 'Account_Name', validate: { required: ['zoho'], maxLength: { zoho: 200 } } },
      { name: 'domain', hubspot: 'domain', zoho: 'Website', transform: 'domain', validate: { format: 'domain', maxLength: { zoho: 255 } } },
      { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: 'phone', validate: { format: 'phone', maxLength: { zoho: 30 } } },
      {
        name: 'industry',
        hubspot: 'industry',
        zoho: 'Industry',
        direction: 'zoho-to-hubspot',
        transform: { kind: 'enum', zohoToHubspot: industryTable(), hubspotToZoho: { ...invert(industryTable()), INTERNET: 'Information Technology and Services', BANKING: 'Financial Services' }, unmapped: 'drop' },
      },
      { name: 'city', hubspot: 'city', zoho: 'Billing_City', validate: { maxLength: { zoho: 100 } } },
      { name: 'country', hubspot: 'country', zoho: 'Billing_Country', validate: { maxLength: { zoho: 100 } } },
      { name: 'employees', hubspot: 'numberofemployees', zoho: 'Employees', transform: 'number', validate: { format: 'integer' } },
    ],
  },
};

function industryTable(): Record<string, string> {
  const labels = [
    'Computer Software', 'Information Technology and Services', 'Marketing and Advertising', 'Financial Services', 'Hospital Health Care',
    'Retail', 'Construction', 'Logistics and Supply Chain', 'Education Management', 'Management Consulting', 'Real Estate',
    'Food Beverages', 'Automotive', 'Telecommunications', 'Insurance',
  ];
  return Object.fromEntries(labels.map((label) => [label, label.toUpperCase().replace(/ /g, '_')]));
}

function invert(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([from, to]) => [to, from]));
}

describe('rules files of the two-system format', () => {
  it('the old default file parses to the current defaults, less the shop\'s columns and mappings the file replaces', () => {
    const { mappings, ...rest } = parseSyncRules(OLD_DEFAULT_FILE);
    const { mappings: defaults, ...defaultRest } = DEFAULT_SYNC_RULES;
    expect(rest).toEqual(defaultRest);
    const withoutShop = (list: typeof defaults.contact) =>
      list.filter((m) => m.systems.hubspot && m.systems.zoho).map((m) => ({ ...m, systems: { hubspot: m.systems.hubspot, zoho: m.systems.zoho }, transform: m.transform.kind === 'domain' ? { ...m.transform, forms: { hubspot: 'bare', zoho: 'url' } } : m.transform }));
    expect(mappings.contact).toEqual(withoutShop(defaults.contact));
    expect(mappings.company).toEqual(withoutShop(defaults.company));
  });

  it('fills each old default the old format left implicit', () => {
    expect(parseSyncRules({ master: 'zoho' })).toEqual(DEFAULT_SYNC_RULES);
    const rules = parseSyncRules({ master: 'hubspot', hot: { contact: null }, crossReference: { zohoField: 'HS_Id' }, deletes: { hubspot: 'delete-counterpart' } });
    expect(rules.priority).toEqual(['hubspot', 'zoho', 'shop']);
    expect(rules.holds).toEqual({ hubspot: { contact: true, company: false }, shop: DEFAULT_SYNC_RULES.holds.shop });
    expect(rules.crossReference).toEqual({ hubspot: DEFAULT_SYNC_RULES.crossReference.hubspot, zoho: { hubspot: 'HS_Id' }, shop: DEFAULT_SYNC_RULES.crossReference.shop });
    expect(rules.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'delete-counterpart', shop: 'unlink' });
  });

  it('converts columns, directions, required, lengths and transforms', () => {
    const rules = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email' },
          { name: 'leadStatus', hubspot: 'hs_lead_status', zoho: 'Lead_Status', transform: { kind: 'enum', zohoToHubspot: { Hot: 'OPEN' } } },
          { name: 'score', hubspot: 'hubspotscore', zoho: 'Score', direction: 'hubspot-to-zoho', validate: { required: ['zoho'], maxLength: { hubspot: 5 }, format: 'integer' } },
        ],
        company: [
          { name: 'name', hubspot: 'name', zoho: 'Account_Name' },
          { name: 'domain', hubspot: 'website', zoho: 'Website', transform: { kind: 'domain', hubspot: 'url' } },
        ],
      },
    });
    const [, status, score] = rules.mappings.contact;
    expect(status?.transform).toEqual({ kind: 'enum', tables: { hubspot: { toWire: { Hot: 'OPEN' }, fromWire: { OPEN: 'Hot' } } }, unmapped: 'keep' });
    expect(score?.systems).toEqual({
      hubspot: { field: 'hubspotscore', direction: 'from', maxLength: 5, required: false },
      zoho: { field: 'Score', direction: 'to', required: true },
    });
    expect(score?.validate).toEqual({ format: 'integer' });
    expect(rules.mappings.company[1]?.transform).toEqual({ kind: 'domain', forms: { hubspot: 'url', zoho: 'url' } });
  });

  it('translates the hot rule from Zoho fields to canonical fields through the file\'s mappings', () => {
    const rules = parseSyncRules({
      hot: { contact: { any: [{ field: 'Lead_Status', op: 'in', values: ['Hot', 'Qualified'] }, { field: 'Rating', op: 'notEmpty' }] }, company: null },
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email' },
          { name: 'status', hubspot: 'hs_lead_status', zoho: 'Lead_Status' },
          { name: 'rating', hubspot: 'rating', zoho: 'Rating' },
        ],
      },
    });
    expect(rules.holds).toEqual({
      hubspot: { contact: { any: [{ field: 'status', op: 'in', values: ['Hot', 'Qualified'] }, { field: 'rating', op: 'notEmpty' }] }, company: true },
      shop: DEFAULT_SYNC_RULES.holds.shop,
    });
    expect(holdsOnItsOwn(rules, 'hubspot', 'contact', { status: 'qualified' })).toBe(true);
    expect(holdsOnItsOwn(rules, 'hubspot', 'contact', { status: 'Cold', rating: null })).toBe(false);
  });

  it('stops on a hot rule over a Zoho field no mapping reads, saying how to convert it', () => {
    const error = rulesErrorOf({ master: 'zoho', hot: { contact: { all: [{ field: 'Lead_Status', op: 'equals', value: 'Hot' }, { field: 'Rating', op: 'notEmpty' }] } } });
    expect(error.issues).toEqual([{ path: 'hot.contact.all.1.field', message: expect.stringContaining('"Rating" is a Zoho field that no contact mapping reads') }]);
    expect(error.message).toContain('replace "hot" with "holds": {"hubspot": {"contact": …, "company": …}}');
    expect(error.message).toContain('holds.hubspot.contact as a condition on canonical fields, e.g. {"field":"leadStatus","op":"equals","value":"Hot"}');
  });

  it('accepts holds in place of hot in an old file, which is that conversion done by hand', () => {
    const rules = parseSyncRules({
      master: 'zoho',
      holds: { hubspot: { contact: { field: 'leadStatus', op: 'notEquals', value: 'Junk Lead' }, company: false } },
      mappings: { contact: [{ name: 'email', hubspot: 'email', zoho: 'Email' }, { name: 'leadStatus', hubspot: 'hs_lead_status', zoho: 'Lead_Status' }] },
    });
    expect(rules.holds.hubspot?.contact).toEqual({ field: 'leadStatus', op: 'notEquals', value: 'Junk Lead' });
  });

  it('stops when the old default hot rule has no Lead_Status mapping to test', () => {
    const error = rulesErrorOf({ mappings: { contact: [{ name: 'email', hubspot: 'email', zoho: 'Email' }] } });
    expect(error.issues).toEqual([{ path: 'hot.contact', message: expect.stringContaining('the old default hot rule tests the Zoho field "Lead_Status"') }]);
    expect(error.message).toContain('add "holds"');
  });

  it('refuses a file that mixes both formats, naming where each shows', () => {
    const error = rulesErrorOf({ master: 'zoho', priority: ['zoho', 'hubspot'], mappings: { contact: [{ name: 'email', systems: { hubspot: 'email' } }] } });
    expect(error.issues).toEqual([{ path: '(root)', message: expect.stringContaining('mixes the old two-system format (master) with the current one (priority, mappings.contact.0.systems)') }]);
    expect(rulesErrorOf({ hot: { contact: null }, holds: {} }).issues[0]?.message).toContain('(hot) with the current one (holds)');
    expect(rulesErrorOf({ crossReference: { hubspotProperty: 'x', zoho: { hubspot: 'y' } } }).issues[0]?.path).toBe('(root)');
  });

  it('reports what it cannot convert, all at once', () => {
    const error = rulesErrorOf({ master: 'salesforce', hot: { contact: null, deal: false }, crossReference: { hubspotField: 'x' }, mappings: { contact: [{ name: 'email', hubspot: 'email', direction: 'sideways' }] } });
    expect(error.issues.map((issue) => issue.path)).toEqual(['master', 'crossReference.hubspotField', 'mappings.contact.0.direction', 'mappings.contact.0.zoho', 'hot.deal']);
    expect(error.message).toContain('master: expected "zoho" or "hubspot"');
  });

  it('notes that paths name the current format when the converted file is invalid', () => {
    const error = rulesErrorOf({ master: 'zoho', mappings: { company: [{ name: 'name', hubspot: 'name', zoho: 'Account_Name', validate: { maxLength: { zoho: -1 } } }] } });
    expect(error.issues.map((issue) => issue.path)).toEqual(['mappings.company.0.systems.zoho.maxLength', '(root)']);
    expect(error.message).toContain('converted before these checks');
  });
});

describe('upgradeLegacyRules', () => {
  it('passes a document of the current format (or no object at all) through untouched', () => {
    const current = { priority: ['zoho'], deletes: { zoho: 'unlink' }, mappings: { contact: [{ name: 'email', systems: { zoho: 'Email' } }] } };
    const upgraded = upgradeLegacyRules(current);
    expect(upgraded.ok && upgraded.rules).toBe(current);
    expect(upgradeLegacyRules({})).toEqual({ ok: true, rules: {} });
    expect(upgradeLegacyRules('text')).toEqual({ ok: true, rules: 'text' });
  });

  it('does not change its input', () => {
    const input = structuredClone(OLD_DEFAULT_FILE);
    upgradeLegacyRules(input);
    expect(input).toEqual(OLD_DEFAULT_FILE);
  });
});
