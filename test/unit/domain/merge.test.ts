import { DEFAULT_SYNC_RULES, parseSyncRules, type SyncRules } from '../../../src/domain/schema/sync-rules';
import { changedFields, mergeRecords, toCanonical, type MergeSide } from '../../../src/domain';
import type { CrmObject, FieldValues } from '../../../src/domain/records';

const rules = DEFAULT_SYNC_RULES;
const T0 = Date.UTC(2026, 10, 1);
const side = (fields: FieldValues, modifiedAt = T0): MergeSide => ({ fields, modifiedAt });

/** The two-system view of a merge: both links hold the same base, as every pair did before the hub. */
function pair(object: CrmObject, base: FieldValues | null, hubspot: MergeSide | null, zoho: MergeSide | null, r: SyncRules = rules) {
  const result = mergeRecords({ rules: r, object, systems: r.priority, base, linkBases: { hubspot: base, zoho: base }, sides: { hubspot, zoho } });
  return { merged: result.merged, hubspotPatch: result.patches.hubspot, zohoPatch: result.patches.zoho, conflicts: result.conflicts };
}
const contact = (base: FieldValues | null, hubspot: MergeSide | null, zoho: MergeSide | null, r: SyncRules = rules) => pair('contact', base, hubspot, zoho, r);

const BASE = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', jobTitle: 'Engineer', city: 'London' };

describe('mergeRecords with a base', () => {
  it('leaves an unchanged pair alone: no writes, no echo', () => {
    const result = contact(BASE, side({ ...BASE }), side({ ...BASE }));
    expect(result).toEqual({ merged: BASE, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
  });

  it('takes a change made in HubSpot only', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: 'CTO' }), side({ ...BASE }));
    expect(result.merged.jobTitle).toBe('CTO');
    expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
    expect(result.hubspotPatch).toEqual({});
    expect(result.conflicts).toEqual([]);
  });

  it('takes a change made in Zoho only', () => {
    const result = contact(BASE, side({ ...BASE }), side({ ...BASE, city: 'Paris' }));
    expect(result.hubspotPatch).toEqual({ city: 'Paris' });
    expect(result.zohoPatch).toEqual({});
  });

  it('gives a field changed on both sides to the newer HubSpot record', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: 'CTO' }, T0 + 1000), side({ ...BASE, jobTitle: 'VP' }, T0));
    expect(result.merged.jobTitle).toBe('CTO');
    expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
    expect(result.hubspotPatch).toEqual({});
    expect(result.conflicts).toEqual(['jobTitle']);
  });

  it('gives a field changed on both sides to the newer Zoho record', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: 'CTO' }, T0), side({ ...BASE, jobTitle: 'VP' }, T0 + 1));
    expect(result.merged.jobTitle).toBe('VP');
    expect(result.hubspotPatch).toEqual({ jobTitle: 'VP' });
    expect(result.zohoPatch).toEqual({});
    expect(result.conflicts).toEqual(['jobTitle']);
  });

  /*
   * Found by the chaos suite (npm-start-kill, postgres-restart, burst-5000; e.g. hubspot:contact:1024): a pass wrote a
   * HubSpot job title to Zoho and its merge base was never saved; the person's next HubSpot edit then met Zoho still
   * holding that write, newer by record time, and lost to it.
   */
  it("never lets a value the hub wrote outrank a person's edit, however new the record holding it", () => {
    const person = side({ ...BASE, jobTitle: '223' }, T0);
    const ours = { ...side({ ...BASE, jobTitle: '23', city: 'Paris' }, T0 + 5000), written: { jobTitle: '23' } };
    const result = contact(BASE, person, ours);
    expect(result.merged.jobTitle).toBe('223');
    expect(result.zohoPatch).toEqual({ jobTitle: '223' });
    // a field the hub did not write there is the person's as before: Paris, the newer record's, stands
    expect(result.merged.city).toBe('Paris');
    // two values that are both the hub's own: the newest record still decides
    const both = contact(BASE, { ...person, written: { jobTitle: '223' } }, ours);
    expect(both.merged.jobTitle).toBe('23');
    // a person who set the field again after our write is a person: a value other than ours counts as an edit
    expect(contact(BASE, person, { ...ours, written: { jobTitle: '24' } }).merged.jobTitle).toBe('23');
  });

  /*
   * Found by the contended bench (hubspot:contact:1008): a pass's write went over a person's HubSpot edit, and its
   * task timed out before the look-back that would have put the edit back; the next pass found both CRMs holding our
   * value. What the write replaced, dated by HubSpot's property history, stands for the field instead.
   */
  it("lets a person's edit that our unsaved write replaced win as the newer edit, and writes it back where we went over it", () => {
    const zoho = side({ ...BASE, jobTitle: 'Editor' }, T0);
    const ours = { ...side({ ...BASE, jobTitle: 'Editor' }, T0 + 9000), written: { jobTitle: 'Editor' } };
    const result = contact(BASE, { ...ours, replaced: { jobTitle: { value: 'Publisher', at: T0 + 2000 } } }, zoho);
    expect(result.merged.jobTitle).toBe('Publisher');
    expect(result.hubspotPatch).toEqual({ jobTitle: 'Publisher' });
    expect(result.zohoPatch).toEqual({ jobTitle: 'Publisher' });
    // without it the two agree on our value, and nothing is written: the edit is lost
    expect(contact(BASE, ours, zoho)).toMatchObject({ merged: { jobTitle: 'Editor' }, hubspotPatch: {}, zohoPatch: {} });
    // an edit older than the other side's loses to it as any older edit does
    expect(contact(BASE, { ...ours, replaced: { jobTitle: { value: 'Publisher', at: T0 - 1000 } } }, zoho)).toMatchObject({ merged: { jobTitle: 'Editor' }, hubspotPatch: {}, zohoPatch: {} });
    // what it replaced was the base: no edit there, the other side's change stands
    expect(contact(BASE, { ...ours, replaced: { jobTitle: { value: 'Engineer', at: T0 + 2000 } } }, zoho)).toMatchObject({ merged: { jobTitle: 'Editor' }, hubspotPatch: {}, zohoPatch: {} });
    // and when the other side went back to the base meanwhile, nobody wants our value any more: the base is written back
    const reverted = contact(BASE, { ...ours, replaced: { jobTitle: { value: 'Engineer', at: T0 + 2000 } } }, side({ ...BASE }, T0 + 4000));
    expect(reverted).toMatchObject({ merged: { jobTitle: 'Engineer' }, hubspotPatch: { jobTitle: 'Engineer' }, zohoPatch: {} });
  });

  it('breaks a tie in favour of the master (zoho by default, configurable)', () => {
    const hubspot = side({ ...BASE, jobTitle: 'CTO' }, T0);
    const zoho = side({ ...BASE, jobTitle: 'VP' }, T0);
    expect(contact(BASE, hubspot, zoho).merged.jobTitle).toBe('VP');
    const hubspotMaster = parseSyncRules({ master: 'hubspot' });
    const result = contact(BASE, hubspot, zoho, hubspotMaster);
    expect(result.merged.jobTitle).toBe('CTO');
    expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
  });

  it('keeps edits to different fields from both sides, even when one record is much newer', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: 'CTO' }, T0), side({ ...BASE, city: 'Paris' }, T0 + 86_400_000));
    expect(result.merged).toEqual({ ...BASE, jobTitle: 'CTO', city: 'Paris' });
    expect(result.hubspotPatch).toEqual({ city: 'Paris' });
    expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
    expect(result.conflicts).toEqual([]);
  });

  it('does not call the same change made on both sides a conflict', () => {
    const result = contact(BASE, side({ ...BASE, city: 'Paris' }, T0), side({ ...BASE, city: 'Paris' }, T0 + 5));
    expect(result).toEqual({ merged: { ...BASE, city: 'Paris' }, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
  });

  it('propagates a value cleared on one side', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: null }), side({ ...BASE }));
    expect(result.merged.jobTitle).toBeNull();
    expect(result.zohoPatch).toEqual({ jobTitle: null });
  });

  it('lets a newer clear beat an older edit', () => {
    const result = contact(BASE, side({ ...BASE, jobTitle: null }, T0 + 10), side({ ...BASE, jobTitle: 'VP' }, T0));
    expect(result.zohoPatch).toEqual({ jobTitle: null });
    expect(result.conflicts).toEqual(['jobTitle']);
  });

  it('treats a field a side did not report as unchanged, and does not rewrite it', () => {
    const { city: _omitted, ...withoutCity } = BASE;
    const result = contact(BASE, side(withoutCity), side({ ...BASE }));
    expect(result).toEqual({ merged: BASE, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
    const changed = contact(BASE, side(withoutCity), side({ ...BASE, city: 'Paris' }));
    expect(changed.hubspotPatch).toEqual({ city: 'Paris' });
  });

  it('treats a mapping added after the link like a first link for that field', () => {
    const result = contact(BASE, side({ ...BASE, country: 'France' }), side({ ...BASE, country: null }));
    expect(result.merged.country).toBe('France');
    expect(result.zohoPatch).toEqual({ country: 'France' });
  });

  it('compares canonical values, so formatting differences never cause writes', () => {
    const hubspotRaw = { email: 'Ada@Example.com', phone: '+1 555 123 4567', lifecyclestage: 'marketingqualifiedlead' };
    const zohoRaw = { Email: 'ada@example.com ', Phone: '(555) 123-4567', Lead_Status: 'hot' };
    const base = { email: 'ada@example.com', phone: '+15551234567', leadStatus: 'Hot' };
    const result = contact(base, side(toCanonical(rules, 'hubspot', 'contact', hubspotRaw)), side(toCanonical(rules, 'zoho', 'contact', zohoRaw)));
    expect(result.hubspotPatch).toEqual({});
    expect(result.zohoPatch).toEqual({});
  });

  it('drops base fields that are no longer mapped', () => {
    const result = contact({ ...BASE, legacy: 'x' }, side({ ...BASE }), side({ ...BASE }));
    expect(result.merged).toEqual(BASE);
  });
});

describe('mergeRecords on first link (no base)', () => {
  it("lets the master's non-empty values win fields both sides have", () => {
    const result = contact(null, side({ ...BASE, jobTitle: 'CTO' }, T0 + 1000), side({ ...BASE, jobTitle: 'VP' }, T0));
    expect(result.merged.jobTitle).toBe('VP');
    expect(result.hubspotPatch).toEqual({ jobTitle: 'VP' });
    expect(result.zohoPatch).toEqual({});
    expect(result.conflicts).toEqual(['jobTitle']);
  });

  it('uses the configured master', () => {
    const result = contact(null, side({ ...BASE, jobTitle: 'CTO' }), side({ ...BASE, jobTitle: 'VP' }), parseSyncRules({ master: 'hubspot' }));
    expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
  });

  it('never lets an empty value erase a non-empty one, whichever side is master', () => {
    const hubspot = side({ email: 'ada@example.com', jobTitle: 'CTO', city: null });
    const zoho = side({ email: 'ada@example.com', jobTitle: null, firstName: 'Ada', city: 'London' });
    for (const r of [rules, parseSyncRules({ master: 'hubspot' })]) {
      const result = contact(null, hubspot, zoho, r);
      expect(result.merged).toEqual({ email: 'ada@example.com', jobTitle: 'CTO', firstName: 'Ada', city: 'London' });
      expect(result.zohoPatch).toEqual({ jobTitle: 'CTO' });
      expect(result.hubspotPatch).toEqual({ firstName: 'Ada', city: 'London' });
      expect(result.conflicts).toEqual([]);
    }
  });

  it('keeps a field empty on both sides as null without writing it', () => {
    const result = contact(null, side({ email: 'a@b.co', jobTitle: null }), side({ email: 'a@b.co', jobTitle: null }));
    expect(result.merged).toEqual({ email: 'a@b.co', jobTitle: null });
    expect(result.hubspotPatch).toEqual({});
    expect(result.zohoPatch).toEqual({});
  });
});

describe('mergeRecords when one side has no record yet', () => {
  it('builds the full HubSpot create payload from Zoho, without empty values', () => {
    const zoho = side({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', jobTitle: null, leadStatus: 'Hot' });
    const result = contact(null, null, zoho);
    expect(result.hubspotPatch).toEqual({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', leadStatus: 'Hot' });
    expect(result.zohoPatch).toEqual({});
    expect(result.merged).toEqual(zoho.fields);
  });

  it('builds the Zoho create payload from HubSpot', () => {
    const hubspot = side({ email: 'bob@example.com', lastName: 'Builder' });
    const result = contact(null, hubspot, null);
    expect(result.zohoPatch).toEqual({ email: 'bob@example.com', lastName: 'Builder' });
    expect(result.hubspotPatch).toEqual({});
  });

  it('leaves fields the direction keeps away from the new record out of its payload', () => {
    const company = pair('company', null, side({ name: 'Acme Ltd', domain: 'acme.io', industry: 'Retail' }), null);
    expect(company.zohoPatch).toEqual({ name: 'Acme Ltd', domain: 'acme.io' });
  });

  it('does nothing when neither side exists', () => {
    expect(contact(BASE, null, null)).toEqual({ merged: BASE, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
  });
});

describe('mergeRecords with one-way fields (industry: Zoho → HubSpot)', () => {
  const company = (base: FieldValues | null, hubspot: MergeSide | null, zoho: MergeSide | null) => pair('company', base, hubspot, zoho);
  const base = { name: 'Acme Ltd', industry: 'Retail' };

  it('sends a Zoho change to HubSpot', () => {
    const result = company(base, side({ ...base }), side({ ...base, industry: 'Automotive' }));
    expect(result.hubspotPatch).toEqual({ industry: 'Automotive' });
    expect(result.zohoPatch).toEqual({});
  });

  it('never writes a HubSpot change to Zoho, however new, and keeps the source value as the base', () => {
    const result = company(base, side({ ...base, industry: 'Insurance' }, T0 + 10_000), side({ ...base }, T0));
    expect(result.zohoPatch).toEqual({});
    expect(result.hubspotPatch).toEqual({});
    expect(result.merged.industry).toBe('Retail');
    expect(result.conflicts).toEqual([]);
  });

  it('overwrites a HubSpot edit once Zoho changes the field', () => {
    const result = company(base, side({ ...base, industry: 'Insurance' }, T0 + 10_000), side({ ...base, industry: 'Construction' }, T0));
    expect(result.hubspotPatch).toEqual({ industry: 'Construction' });
  });

  it('on first link, writes a non-empty Zoho value but never erases HubSpot with an empty one', () => {
    const linked = company(null, side({ name: 'Acme Ltd', industry: 'Insurance' }), side({ name: 'Acme Ltd', industry: 'Retail' }));
    expect(linked.hubspotPatch).toEqual({ industry: 'Retail' });
    const empty = company(null, side({ name: 'Acme Ltd', industry: 'Insurance' }), side({ name: 'Acme Ltd', industry: null }));
    expect(empty.hubspotPatch).toEqual({});
    expect(empty.zohoPatch).toEqual({});
    // and the next pass, now with that base, still leaves HubSpot's value alone
    const next = company(empty.merged, side({ name: 'Acme Ltd', industry: 'Insurance' }), side({ name: 'Acme Ltd', industry: null }));
    expect(next.hubspotPatch).toEqual({});
  });

  it('honours hubspot-to-zoho the same way', () => {
    const oneWay = parseSyncRules({
      hot: { contact: null },
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email', transform: 'lowercase' },
          { name: 'score', hubspot: 'hubspotscore', zoho: 'Score', direction: 'hubspot-to-zoho', transform: 'number' },
        ],
      },
    });
    const b = { email: 'a@b.co', score: '10' };
    const fromHubspot = contact(b, side({ ...b, score: '20' }), side({ ...b }), oneWay);
    expect(fromHubspot.zohoPatch).toEqual({ score: '20' });
    const fromZoho = contact(b, side({ ...b }, T0), side({ ...b, score: '99' }, T0 + 1), oneWay);
    expect(fromZoho.hubspotPatch).toEqual({});
    expect(fromZoho.zohoPatch).toEqual({});
    const created = contact(null, null, side({ email: 'a@b.co', score: '99' }), oneWay);
    expect(created.hubspotPatch).toEqual({ email: 'a@b.co' });
  });
});

describe('mergeRecords with enum values one side cannot hold (unmapped: drop)', () => {
  // default rules: Lead_Status "Contacted" has no HubSpot lifecycle stage
  const base = { email: 'ada@example.com', leadStatus: 'Hot' };

  it('keeps the Zoho value as the base without writing HubSpot, and never reverts Zoho afterwards', () => {
    const moved = contact(base, side({ ...base }), side({ ...base, leadStatus: 'Contacted' }, T0 + 1));
    expect(moved).toEqual({ merged: { ...base, leadStatus: 'Contacted' }, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
    // HubSpot still shows the stage for "Hot": stale, not an edit, so Zoho keeps "Contacted"
    const next = contact(moved.merged, side({ ...base }, T0 + 5), side({ ...base, leadStatus: 'Contacted' }, T0 + 1));
    expect(next).toEqual({ merged: moved.merged, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
    const later = contact(moved.merged, side({ ...base }), side({ ...base, leadStatus: 'Customer' }));
    expect(later.hubspotPatch).toEqual({ leadStatus: 'Customer' });
  });

  it('on first link, the master keeps its value and the other side is left alone', () => {
    const result = contact(null, side({ ...base }), side({ ...base, leadStatus: 'Not Contacted' }));
    expect(result.merged.leadStatus).toBe('Not Contacted');
    expect(result.hubspotPatch).toEqual({});
    expect(result.zohoPatch).toEqual({});
    expect(result.conflicts).toEqual(['leadStatus']);
  });

  it('leaves such a value out of a HubSpot create payload', () => {
    const result = contact(null, null, side({ email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Attempted to Contact' }));
    expect(result.hubspotPatch).toEqual({ email: 'ada@example.com', lastName: 'Lovelace' });
  });

  it('ignores a HubSpot value outside the table (read as unknown)', () => {
    const hubspot = toCanonical(rules, 'hubspot', 'contact', { email: 'ada@example.com', lifecyclestage: 'custom_stage' });
    const result = contact(base, side(hubspot, T0 + 9), side({ ...base }));
    expect(result).toEqual({ merged: base, hubspotPatch: {}, zohoPatch: {}, conflicts: [] });
  });
});

describe('changedFields', () => {
  it('is empty for a record equal to the base (an echo)', () => {
    expect(changedFields(rules, 'contact', 'hubspot', { ...BASE }, BASE)).toEqual([]);
    expect(changedFields(rules, 'contact', 'zoho', { email: 'ada@example.com' }, BASE)).toEqual([]);
  });

  it('names edited fields, and non-empty fields the base lacks', () => {
    expect(changedFields(rules, 'contact', 'zoho', { ...BASE, city: 'Paris', phone: '+15551234567', mobile: null }, BASE)).toEqual(['phone', 'city']);
  });

  it('ignores edits the merge ignores: the target side of one-way fields, stale values of unrepresentable ones', () => {
    const company = { name: 'Acme Ltd', industry: 'Retail' };
    expect(changedFields(rules, 'company', 'hubspot', { ...company, industry: 'Insurance' }, company)).toEqual([]);
    expect(changedFields(rules, 'company', 'zoho', { ...company, industry: 'Insurance' }, company)).toEqual(['industry']);
    expect(changedFields(rules, 'contact', 'hubspot', { leadStatus: 'Hot' }, { leadStatus: 'Contacted' })).toEqual([]);
    expect(changedFields(rules, 'contact', 'zoho', { leadStatus: 'Hot' }, { leadStatus: 'Contacted' })).toEqual(['leadStatus']);
  });
});

describe('mergeRecords across three systems', () => {
  // a third system with a column for a few contact fields, last in priority
  const hub = parseSyncRules({
    priority: ['zoho', 'hubspot', 'ledger'],
    holds: { hubspot: { contact: true } },
    mappings: {
      contact: [
        { name: 'email', systems: { hubspot: 'email', zoho: 'Email', ledger: 'mail' }, transform: 'lowercase' },
        { name: 'jobTitle', systems: { hubspot: 'jobtitle', zoho: 'Title', ledger: 'role' } },
        { name: 'city', systems: { hubspot: 'city', zoho: 'Mailing_City' } },
        { name: 'tier', systems: { ledger: { field: 'tier', direction: 'from' }, hubspot: { field: 'tier', direction: 'to' } } },
      ],
    },
  });
  const base = { email: 'ada@example.com', jobTitle: 'Engineer', city: 'London', tier: 'gold' };
  const merge = (sides: Record<string, MergeSide | null>, linkBases: Record<string, FieldValues | null> = { hubspot: base, zoho: base, ledger: base }, agreed: FieldValues | null = base) =>
    mergeRecords({ rules: hub, object: 'contact', systems: hub.priority, base: agreed, linkBases, sides });

  it('sends a change made in one system to every other system that holds the field', () => {
    const result = merge({ hubspot: side({ ...base }), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'CTO', tier: 'gold' }) });
    expect(result.merged.jobTitle).toBe('CTO');
    expect(result.patches).toEqual({ hubspot: { jobTitle: 'CTO' }, zoho: { jobTitle: 'CTO' }, ledger: {} });
  });

  it('gives a field changed in two systems to the newer record, and writes it to the third', () => {
    const result = merge({ hubspot: side({ ...base, jobTitle: 'VP' }, T0 + 2000), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'CTO', tier: 'gold' }, T0 + 1000) });
    expect(result.merged.jobTitle).toBe('VP');
    expect(result.patches.zoho).toEqual({ jobTitle: 'VP' });
    expect(result.patches.ledger).toEqual({ jobTitle: 'VP' });
    expect(result.conflicts).toEqual(['jobTitle']);
  });

  it('breaks a tie by the priority order', () => {
    const result = merge({ hubspot: side({ ...base, jobTitle: 'VP' }), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'CTO', tier: 'gold' }) });
    expect(result.merged.jobTitle).toBe('VP');
  });

  it('a system whose last write failed keeps its old base: its old value is no edit, and it is written again', () => {
    // the agreed value is CTO, HubSpot and the ledger hold it; Zoho's write was refused, so its link base is still Engineer
    const agreed = { ...base, jobTitle: 'CTO' };
    const result = merge({ hubspot: side(agreed), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'CTO', tier: 'gold' }) }, { hubspot: agreed, zoho: base, ledger: agreed }, agreed);
    expect(result.merged.jobTitle).toBe('CTO');
    expect(result.patches.zoho).toEqual({ jobTitle: 'CTO' });
    expect(result.patches.hubspot).toEqual({});
  });

  it('a system joining the entity fills empty fields but does not override agreed values', () => {
    const agreed = { ...base, jobTitle: null };
    const result = merge({ hubspot: side(agreed), zoho: side(agreed), ledger: side({ email: base.email, jobTitle: 'Chief', tier: 'silver' }) }, { hubspot: agreed, zoho: agreed, ledger: null }, agreed);
    expect(result.merged.jobTitle).toBe('Chief');
    expect(result.merged.tier).toBe('gold');
    expect(result.patches.ledger).toEqual({});
  });

  it('a column the hub only writes takes changes from the system it reads them from, and keeps its own edits otherwise', () => {
    const changed = merge({ hubspot: side({ ...base, tier: 'bronze' }), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'Engineer', tier: 'platinum' }) });
    expect(changed.merged.tier).toBe('platinum');
    expect(changed.patches.hubspot).toEqual({ tier: 'platinum' });
    const unchanged = merge({ hubspot: side({ ...base, tier: 'bronze' }), zoho: side({ ...base }), ledger: side({ email: base.email, jobTitle: 'Engineer', tier: 'gold' }) });
    expect(unchanged.patches.hubspot).toEqual({});
  });

  it('builds a create payload for a system that has no record yet', () => {
    const result = merge({ hubspot: side({ ...base }), zoho: side({ ...base }), ledger: null }, { hubspot: base, zoho: base, ledger: null });
    expect(result.patches.ledger).toEqual({ email: base.email, jobTitle: 'Engineer' });
  });
});
