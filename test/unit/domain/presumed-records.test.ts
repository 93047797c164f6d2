import type { Entity, Link } from '../../../src/domain/entity';
import { planPass, type WritePlan } from '../../../src/domain/plan';
import { checkedAgainstLinks, heldValueOf, presumedRecords } from '../../../src/domain/presumed-records';
import type { RecordSnapshot } from '../../../src/domain/records';
import { referenceIndex } from '../../../src/domain/references';
import { DEFAULT_HUB_SETTINGS, SHOP_HUB_SETTINGS } from './hub-settings';

const T0 = Date.UTC(2026, 11, 1);
const LATER = T0 + 60_000;

function link(recordId: string, base: Record<string, string | null>, extra: Partial<Link> = {}): Link {
  return { recordId, base, version: String(T0), modifiedAt: T0, ...extra };
}

const COMPANY: Entity = {
  id: 'e-co',
  object: 'company',
  base: {},
  revision: 1,
  updatedAt: new Date(T0).toISOString(),
  links: { hubspot: link('hc1', {}), zoho: link('zc1', {}) },
};

function contactEntity(links: Record<string, Link>): Entity {
  return { id: 'e1', object: 'contact', base: { email: 'ada@example.com', lastName: 'Lovelace', jobTitle: 'Analyst' }, revision: 3, updatedAt: new Date(T0).toISOString(), links };
}

const HUBSPOT_BASE = { email: 'ada@example.com', lastName: 'Lovelace', jobTitle: 'Analyst', '@company': 'e-co' };

function zohoSource(fields: Record<string, string | null>): RecordSnapshot {
  return { ref: { system: 'zoho', object: 'contact', id: 'z1' }, version: String(LATER), modifiedAt: LATER, fields, companyId: 'zc1', crossRefs: { hubspot: 'h1' } };
}

describe('a live pass plans from the links of records it leaves unread', () => {
  const entity = contactEntity({ zoho: link('z1', { ...HUBSPOT_BASE }), hubspot: link('h1', { ...HUBSPOT_BASE }) });
  const references = referenceIndex([COMPANY]);

  it('stands a linked record in by what its link holds: fields, what it points at (as that system ids it) and the ids of the other records', () => {
    const [hubspot, ...rest] = presumedRecords(DEFAULT_HUB_SETTINGS, zohoSource(HUBSPOT_BASE), entity, references);
    expect(rest).toEqual([]);
    expect(hubspot).toEqual({
      ref: { system: 'hubspot', object: 'contact', id: 'h1' },
      version: String(T0),
      modifiedAt: T0,
      fields: { email: 'ada@example.com', lastName: 'Lovelace', jobTitle: 'Analyst' },
      companyId: 'hc1',
      crossRefs: { zoho: 'z1' },
    });
  });

  it('reads a record whose link has no version, whose association the pass may move, or that is written by commands', () => {
    const merged = contactEntity({ zoho: link('z1', HUBSPOT_BASE), hubspot: link('h1', HUBSPOT_BASE, { version: null, modifiedAt: null }) });
    expect(presumedRecords(DEFAULT_HUB_SETTINGS, zohoSource(HUBSPOT_BASE), merged, references)).toEqual([]);
    // the company moved on in Zoho: the HubSpot record still points at the old one, which the pass did not look up
    const otherCompany = contactEntity({ zoho: link('z1', HUBSPOT_BASE), hubspot: link('h1', { ...HUBSPOT_BASE, '@company': 'e-old' }) });
    expect(presumedRecords(DEFAULT_HUB_SETTINGS, zohoSource(HUBSPOT_BASE), otherCompany, references)).toEqual([]);
    // the Zoho contact points at another known company: the association would move, and the check does not cover it
    const second: Entity = { ...COMPANY, id: 'e-co2', links: { hubspot: link('hc2', {}), zoho: link('zc2', {}) } };
    const moved = { ...zohoSource(HUBSPOT_BASE), companyId: 'zc2' };
    expect(presumedRecords(DEFAULT_HUB_SETTINGS, moved, entity, referenceIndex([COMPANY, second]))).toEqual([]);
    // a source whose read does not say what it points at moves nothing
    const silent = { ...zohoSource(HUBSPOT_BASE), companyId: undefined };
    expect(presumedRecords(DEFAULT_HUB_SETTINGS, silent, entity, references).map((record) => record.companyId)).toEqual(['hc1']);
    const withShop = contactEntity({ zoho: link('z1', HUBSPOT_BASE), hubspot: link('h1', HUBSPOT_BASE), shop: link('s1', {}) });
    expect(presumedRecords(SHOP_HUB_SETTINGS, zohoSource(HUBSPOT_BASE), withShop, references).map((record) => record.ref.system)).toEqual(['hubspot']);
  });

  it("checks the write to a presumed record against every field and cross-reference its link holds, not only those written", () => {
    const source = zohoSource({ ...HUBSPOT_BASE, jobTitle: 'Director' });
    const presumed = presumedRecords(DEFAULT_HUB_SETTINGS, source, entity, references);
    const records = { zoho: source, ...Object.fromEntries(presumed.map((record) => [record.ref.system, record])) };
    const plan = planPass({ settings: DEFAULT_HUB_SETTINGS, object: 'contact', origin: 'zoho', entity, records, references, forceCreate: [], emptyIsHeld: true });
    expect(plan.action).toBe('write');
    const [write] = (plan as WritePlan).targets;
    expect(write).toMatchObject({ system: 'hubspot', id: 'h1', fields: { jobTitle: 'Director' }, expected: { jobTitle: 'Analyst' } });
    expect(Object.keys(write?.expected ?? {})).toEqual(['jobTitle']);

    const [checked] = checkedAgainstLinks(plan as WritePlan, presumed).targets;
    expect(checked?.fields).toEqual({ jobTitle: 'Director' });
    const held = { ...presumed[0]!, fields: { ...presumed[0]!.fields } };
    const expected = checked?.expected ?? {};
    expect(Object.keys(expected).every((key) => heldValueOf(held, key) === expected[key])).toBe(true);
    // a person's edit of another field there, or a cleared cross-reference, no longer matches
    const edited = { ...held, fields: { ...held.fields, lastName: 'King' } };
    expect(Object.keys(expected).filter((key) => heldValueOf(edited, key) !== expected[key])).toEqual(['lastName']);
    const cleared = { ...held, crossRefs: {} };
    expect(Object.keys(expected).filter((key) => heldValueOf(cleared, key) !== (expected[key] ?? null))).toHaveLength(1);
  });
});
