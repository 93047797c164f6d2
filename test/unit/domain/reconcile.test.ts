import type { Entity } from '../../../src/domain/entity';
import type { FieldValues, RecordSnapshot } from '../../../src/domain/records';
import { newestModifiedAt, reconcileWindow, recordsOutOfSync } from '../../../src/domain/reconcile';
import { DEFAULT_HUB_SETTINGS } from './hub-settings';

const settings = DEFAULT_HUB_SETTINGS;
const T0 = Date.UTC(2026, 10, 1);
const ada = { email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Hot' };

function zohoRecord(id: string, fields: FieldValues, modifiedAt = T0): RecordSnapshot {
  return { ref: { system: 'zoho', object: 'contact', id }, version: String(modifiedAt), modifiedAt, fields, companyId: null, crossRefs: { hubspot: 'h1' } };
}

const linked: Entity = {
  id: '1',
  object: 'contact',
  base: ada,
  links: { zoho: { recordId: 'z1', base: ada, version: String(T0), modifiedAt: T0 }, hubspot: { recordId: 'h1', base: ada, version: String(T0), modifiedAt: T0 } },
  revision: 1,
  updatedAt: '',
};

describe('reconciliation (pure part)', () => {
  it('hands over nothing that holds what its link last synced', () => {
    expect(recordsOutOfSync(settings, [zohoRecord('z1', ada)], [linked], [])).toEqual([]);
  });

  it('hands over a record changed since its link was synced', () => {
    const changed = zohoRecord('z1', { ...ada, lastName: 'King' }, T0 + 60_000);
    expect(recordsOutOfSync(settings, [changed], [linked], [])).toEqual([changed]);
  });

  it('hands over a record never synced that another system would hold, and leaves one no other system holds', () => {
    const hot = { ...zohoRecord('z2', { ...ada, email: 'hot@example.com' }), crossRefs: {} };
    const cold = { ...zohoRecord('z3', { ...ada, email: 'cold@example.com', leadStatus: 'Cold' }), crossRefs: {} };
    expect(recordsOutOfSync(settings, [hot, cold], [null, null], [])).toEqual([hot]);
  });

  it('looks back the overlap from the cursor, up to the settle time before the run start; the cursor only moves to a time seen', () => {
    expect(reconcileWindow(T0, 120_000, T0 + 300_000)).toEqual({ modifiedAfter: new Date(T0 - 120_000).toISOString(), modifiedBefore: new Date(T0 + 300_000).toISOString() });
    expect(reconcileWindow(T0, 120_000, T0 + 300_000, 30_000).modifiedBefore).toBe(new Date(T0 + 270_000).toISOString());
    expect(newestModifiedAt(T0, [zohoRecord('z1', ada, T0 + 5), zohoRecord('z2', ada, T0 - 5)])).toBe(T0 + 5);
    expect(newestModifiedAt(T0, [])).toBe(T0);
  });
});
