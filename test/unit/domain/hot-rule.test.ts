import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/config/sync-rules';
import { describeCondition, isHot, type Condition } from '../../../src/domain';

const rulesWith = (contact: Condition | null) => parseSyncRules({ hot: { contact } });

describe('isHot', () => {
  it('defaults to Lead_Status equals "Hot" for contacts, and no company on its own (only those a hot contact needs)', () => {
    expect(isHot(DEFAULT_SYNC_RULES, 'contact', { Lead_Status: 'Hot' })).toBe(true);
    expect(isHot(DEFAULT_SYNC_RULES, 'contact', { Lead_Status: 'Warm' })).toBe(false);
    expect(isHot(DEFAULT_SYNC_RULES, 'contact', {})).toBe(false);
    expect(isHot(DEFAULT_SYNC_RULES, 'company', {})).toBe(false);
    expect(isHot(parseSyncRules({ hot: { company: null } }), 'company', {})).toBe(true);
  });

  it('equals trims and ignores case', () => {
    const rules = rulesWith({ field: 'Lead_Status', op: 'equals', value: 'Hot' });
    expect(isHot(rules, 'contact', { Lead_Status: ' hot ' })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'Hotter' })).toBe(false);
    expect(isHot(rules, 'contact', { Lead_Status: null })).toBe(false);
  });

  it('notEquals holds for other values and for empty fields', () => {
    const rules = rulesWith({ field: 'Lead_Status', op: 'notEquals', value: 'Junk Lead' });
    expect(isHot(rules, 'contact', { Lead_Status: 'Hot' })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: null })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'junk lead' })).toBe(false);
  });

  it('in accepts any listed value', () => {
    const rules = rulesWith({ field: 'Lead_Status', op: 'in', values: ['Hot', 'Qualified'] });
    expect(isHot(rules, 'contact', { Lead_Status: 'Qualified' })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'HOT' })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'Cold' })).toBe(false);
  });

  it('notEmpty treats blanks, null and missing fields as empty', () => {
    const rules = rulesWith({ field: 'Mobile', op: 'notEmpty' });
    expect(isHot(rules, 'contact', { Mobile: '+447700900123' })).toBe(true);
    expect(isHot(rules, 'contact', { Mobile: '   ' })).toBe(false);
    expect(isHot(rules, 'contact', { Mobile: null })).toBe(false);
    expect(isHot(rules, 'contact', {})).toBe(false);
  });

  it('reads Zoho JSON types: numbers, booleans, lookups and multi-select picklists', () => {
    expect(isHot(rulesWith({ field: 'Score', op: 'equals', value: '90' }), 'contact', { Score: 90 })).toBe(true);
    expect(isHot(rulesWith({ field: 'VIP', op: 'equals', value: 'true' }), 'contact', { VIP: true })).toBe(true);
    const owner = rulesWith({ field: 'Owner', op: 'equals', value: 'Patricia Boyle' });
    expect(isHot(owner, 'contact', { Owner: { name: 'Patricia Boyle', id: '5725767000000411001' } })).toBe(true);
    const tags = rulesWith({ field: 'Segments', op: 'in', values: ['Enterprise'] });
    expect(isHot(tags, 'contact', { Segments: ['SMB', 'Enterprise'] })).toBe(true);
    expect(isHot(tags, 'contact', { Segments: ['SMB'] })).toBe(false);
    expect(isHot(rulesWith({ field: 'Segments', op: 'notEquals', value: 'SMB' }), 'contact', { Segments: ['SMB', 'Enterprise'] })).toBe(false);
  });

  it('combines with all and any, nested', () => {
    const rules = rulesWith({
      any: [
        { all: [{ field: 'Lead_Status', op: 'equals', value: 'Hot' }, { field: 'Email', op: 'notEmpty' }] },
        { field: 'VIP', op: 'equals', value: 'true' },
      ],
    });
    expect(isHot(rules, 'contact', { Lead_Status: 'Hot', Email: 'a@b.co' })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'Hot', Email: null })).toBe(false);
    expect(isHot(rules, 'contact', { Lead_Status: 'Cold', VIP: true })).toBe(true);
    expect(isHot(rules, 'contact', { Lead_Status: 'Cold', VIP: false })).toBe(false);
  });

  it('null means every record qualifies', () => {
    expect(isHot(rulesWith(null), 'contact', {})).toBe(true);
    const companies = parseSyncRules({ hot: { company: { field: 'Account_Type', op: 'equals', value: 'Customer' } } });
    expect(isHot(companies, 'company', { Account_Type: 'Customer' })).toBe(true);
    expect(isHot(companies, 'company', { Account_Type: 'Prospect' })).toBe(false);
  });

  it('is described for humans', () => {
    expect(describeCondition({ any: [{ all: [{ field: 'A', op: 'equals', value: 'x' }, { field: 'B', op: 'notEmpty' }] }, { field: 'C', op: 'in', values: ['1', '2'] }] })).toBe(
      '((A equals "x" and B is not empty) or C in ("1", "2"))',
    );
    expect(describeCondition({ field: 'A', op: 'notEquals', value: 'x' })).toBe('A does not equal "x"');
  });
});
