import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/domain/schema/sync-rules';
import { describeCondition, holdsOnItsOwn, holdsRuleOf, toCanonical, type Condition } from '../../../src/domain';

/** Contact mappings with the extra fields these rules test. */
const MAPPINGS = [
  ...DEFAULT_SYNC_RULES.mappings.contact,
  { name: 'score', systems: { zoho: 'Score' }, transform: 'number' },
  { name: 'vip', systems: { zoho: 'VIP' } },
  { name: 'owner', systems: { zoho: 'Owner' } },
  { name: 'segments', systems: { zoho: 'Segments' } },
];
const rulesWith = (contact: Condition | boolean) => parseSyncRules({ holds: { hubspot: { contact } }, mappings: { contact: MAPPINGS } });
const holds = (rules: ReturnType<typeof rulesWith>, values: Record<string, string | null>) => holdsOnItsOwn(rules, 'hubspot', 'contact', values);

describe('holdsOnItsOwn', () => {
  it('defaults to leadStatus equals "Hot" for HubSpot contacts, no company on its own, and every entity for other systems', () => {
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'hubspot', 'contact', { leadStatus: 'Hot' })).toBe(true);
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'hubspot', 'contact', { leadStatus: 'Warm' })).toBe(false);
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'hubspot', 'contact', {})).toBe(false);
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'hubspot', 'company', {})).toBe(false);
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'zoho', 'contact', {})).toBe(true);
    expect(holdsOnItsOwn(DEFAULT_SYNC_RULES, 'ledger', 'company', {})).toBe(true);
    expect(holdsOnItsOwn(parseSyncRules({ holds: { hubspot: { company: true } } }), 'hubspot', 'company', {})).toBe(true);
  });

  it('holdsRuleOf gives the rule, true when the rules name none', () => {
    expect(holdsRuleOf(DEFAULT_SYNC_RULES, 'hubspot', 'company')).toBe(false);
    expect(holdsRuleOf(DEFAULT_SYNC_RULES, 'hubspot', 'contact')).toEqual({ field: 'leadStatus', op: 'equals', value: 'Hot' });
    expect(holdsRuleOf(DEFAULT_SYNC_RULES, 'zoho', 'contact')).toBe(true);
    expect(holdsRuleOf(parseSyncRules({ holds: { hubspot: { contact: false } } }), 'hubspot', 'company')).toBe(true);
  });

  it('equals trims and ignores case', () => {
    const rules = rulesWith({ field: 'leadStatus', op: 'equals', value: 'Hot' });
    expect(holds(rules, { leadStatus: ' hot ' })).toBe(true);
    expect(holds(rules, { leadStatus: 'Hotter' })).toBe(false);
    expect(holds(rules, { leadStatus: null })).toBe(false);
  });

  it('notEquals holds for other values and for empty fields', () => {
    const rules = rulesWith({ field: 'leadStatus', op: 'notEquals', value: 'Junk Lead' });
    expect(holds(rules, { leadStatus: 'Hot' })).toBe(true);
    expect(holds(rules, { leadStatus: null })).toBe(true);
    expect(holds(rules, { leadStatus: 'junk lead' })).toBe(false);
  });

  it('in accepts any listed value', () => {
    const rules = rulesWith({ field: 'leadStatus', op: 'in', values: ['Hot', 'Qualified'] });
    expect(holds(rules, { leadStatus: 'Qualified' })).toBe(true);
    expect(holds(rules, { leadStatus: 'HOT' })).toBe(true);
    expect(holds(rules, { leadStatus: 'Cold' })).toBe(false);
  });

  it('notEmpty treats null and missing fields as empty', () => {
    const rules = rulesWith({ field: 'mobile', op: 'notEmpty' });
    expect(holds(rules, { mobile: '+447700900123' })).toBe(true);
    expect(holds(rules, { mobile: null })).toBe(false);
    expect(holds(rules, {})).toBe(false);
  });

  it('tests what a system\'s JSON types read as: numbers, booleans, lookups and multi-select picklists', () => {
    const read = (raw: Record<string, unknown>) => toCanonical(rulesWith(true), 'zoho', 'contact', raw);
    expect(holds(rulesWith({ field: 'score', op: 'equals', value: '90' }), read({ Score: 90 }))).toBe(true);
    expect(holds(rulesWith({ field: 'vip', op: 'equals', value: 'true' }), read({ VIP: true }))).toBe(true);
    const owner = rulesWith({ field: 'owner', op: 'equals', value: 'Patricia Boyle' });
    expect(holds(owner, read({ Owner: { name: 'Patricia Boyle', id: '5725767000000411001' } }))).toBe(true);
    const tags = rulesWith({ field: 'segments', op: 'in', values: ['Enterprise'] });
    expect(holds(tags, read({ Segments: ['SMB', 'Enterprise'] }))).toBe(true);
    expect(holds(tags, read({ Segments: ['SMB'] }))).toBe(false);
    expect(holds(rulesWith({ field: 'segments', op: 'notEquals', value: 'SMB' }), read({ Segments: ['SMB', 'Enterprise'] }))).toBe(false);
    expect(holds(rulesWith({ field: 'mobile', op: 'notEmpty' }), read({ Mobile: '   ' }))).toBe(false);
  });

  it('combines with all and any, nested', () => {
    const rules = rulesWith({
      any: [
        { all: [{ field: 'leadStatus', op: 'equals', value: 'Hot' }, { field: 'email', op: 'notEmpty' }] },
        { field: 'vip', op: 'equals', value: 'true' },
      ],
    });
    expect(holds(rules, { leadStatus: 'Hot', email: 'a@b.co' })).toBe(true);
    expect(holds(rules, { leadStatus: 'Hot', email: null })).toBe(false);
    expect(holds(rules, { leadStatus: 'Cold', vip: 'true' })).toBe(true);
    expect(holds(rules, { leadStatus: 'Cold', vip: 'false' })).toBe(false);
  });

  it('true means every entity, false none on its own', () => {
    expect(holds(rulesWith(true), {})).toBe(true);
    expect(holds(rulesWith(false), { leadStatus: 'Hot' })).toBe(false);
    const companies = parseSyncRules({ holds: { hubspot: { company: { field: 'industry', op: 'equals', value: 'Retail' } } } });
    expect(holdsOnItsOwn(companies, 'hubspot', 'company', { industry: 'Retail' })).toBe(true);
    expect(holdsOnItsOwn(companies, 'hubspot', 'company', { industry: 'Insurance' })).toBe(false);
  });

  it('is described for humans', () => {
    expect(describeCondition({ any: [{ all: [{ field: 'A', op: 'equals', value: 'x' }, { field: 'B', op: 'notEmpty' }] }, { field: 'C', op: 'in', values: ['1', '2'] }] })).toBe(
      '((A equals "x" and B is not empty) or C in ("1", "2"))',
    );
    expect(describeCondition({ field: 'A', op: 'notEquals', value: 'x' })).toBe('A does not equal "x"');
  });
});
