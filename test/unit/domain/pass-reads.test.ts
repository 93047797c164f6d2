import type { Entity, Link } from '../../../src/domain/entity';
import { foundLookupOf, mergedRefsOf, recordFindsOf, sourceLookupOf } from '../../../src/domain/pass-reads';
import type { RecordSnapshot } from '../../../src/domain/records';
import { DEFAULT_HUB_SETTINGS, SHOP_HUB_SETTINGS } from './hub-settings';

const T0 = Date.UTC(2026, 11, 1);

function contact(system: string, id: string, extra: Partial<RecordSnapshot> = {}): RecordSnapshot {
  return { ref: { system, object: 'contact', id }, version: String(T0), modifiedAt: T0, fields: { email: 'Ada@Example.com', lastName: 'Lovelace' }, companyId: null, ...extra };
}

function linkedTo(links: Record<string, string>): Entity {
  const link = (recordId: string): Link => ({ recordId, base: {}, version: String(T0), modifiedAt: T0 });
  return { id: 'e1', object: 'contact', base: {}, revision: 3, updatedAt: new Date(T0).toISOString(), links: Object.fromEntries(Object.entries(links).map(([system, id]) => [system, link(id)])) };
}

describe('what a pass reads and looks up (shared by the workflow and the joined local activities)', () => {
  it('looks up the source with the records merged into it, and the company it points at', () => {
    const source = contact('hubspot', 'h1', { mergedIds: ['h0', 'h00'], companyId: 'c9' });
    expect(mergedRefsOf(source.ref, source).map((ref) => ref.id)).toEqual(['h0', 'h00']);
    expect(sourceLookupOf(source.ref, source)).toEqual({
      refs: [source.ref, { ...source.ref, id: 'h0' }, { ...source.ref, id: 'h00' }],
      companyRefs: [{ system: 'hubspot', object: 'company', id: 'c9' }],
    });
  });

  it('looks up only the record itself when it is gone', () => {
    const ref = { system: 'zoho', object: 'contact' as const, id: 'z1' };
    expect(sourceLookupOf(ref, null)).toEqual({ refs: [ref], companyRefs: [] });
  });

  it('finds the other record by its link first, then by the cross-reference, and matches only where the system can', () => {
    const source = contact('zoho', 'z1', { crossRefs: { hubspot: 'h-from-ref' } });
    const [byLink] = recordFindsOf(DEFAULT_HUB_SETTINGS, source, linkedTo({ zoho: 'z1', hubspot: 'h-linked' }));
    expect(byLink).toEqual({ system: 'hubspot', ref: { system: 'hubspot', object: 'contact', id: 'h-linked' }, keys: expect.objectContaining({ email: 'ada@example.com' }) });
    expect(recordFindsOf(DEFAULT_HUB_SETTINGS, source, null)[0]?.ref?.id).toBe('h-from-ref');
    expect(recordFindsOf(DEFAULT_HUB_SETTINGS, contact('zoho', 'z2'), null)).toEqual([{ system: 'hubspot', ref: null, keys: expect.objectContaining({ email: 'ada@example.com' }) }]);
    const cannotMatch = { ...DEFAULT_HUB_SETTINGS, systems: DEFAULT_HUB_SETTINGS.systems.map((system) => ({ ...system, canMatch: false })) };
    expect(recordFindsOf(cannotMatch, contact('zoho', 'z2'), null)).toEqual([{ system: 'hubspot', ref: null, keys: null }]);
  });

  it('asks every other system that holds the object, never the source system', () => {
    expect(recordFindsOf(SHOP_HUB_SETTINGS, contact('shop', 's1'), null).map((find) => find.system).sort()).toEqual(['hubspot', 'zoho']);
  });

  it("looks up the records found elsewhere, not the source, and every company any of them points at", () => {
    const source = contact('zoho', 'z1', { companyId: 'zc1' });
    const found = contact('hubspot', 'h1', { companyId: 'hc1' });
    expect(foundLookupOf(source, { zoho: source, hubspot: found, shop: null })).toEqual({
      refs: [found.ref],
      companyRefs: [
        { system: 'zoho', object: 'company', id: 'zc1' },
        { system: 'hubspot', object: 'company', id: 'hc1' },
      ],
    });
  });
});
