import { referenceIndex } from '../../../src/domain/references';
import type { Entity } from '../../../src/domain/entity';
import { crossRefFollowUps, entityAfter, originAfter } from '../../../src/domain/entity-save';
import { planPass, type PlanInput, type WritePlan } from '../../../src/domain/plan';
import type { FieldValues, RecordSnapshot } from '../../../src/domain/records';
import { DEFAULT_HUB_SETTINGS, SHOP_HUB_SETTINGS } from './hub-settings';

const settings = DEFAULT_HUB_SETTINGS;
const T0 = Date.UTC(2026, 10, 1);

function record(system: string, id: string, fields: FieldValues, extra: Partial<RecordSnapshot> = {}): RecordSnapshot {
  return { ref: { system, object: 'contact', id }, version: String(T0), modifiedAt: T0, fields, companyId: null, ...extra };
}

function input(records: PlanInput['records'], entity: Entity | null = null, origin = 'zoho'): PlanInput {
  return { settings, object: 'contact', origin, entity, records, references: referenceIndex([]), forceCreate: [] };
}

const ada = { email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Hot' };

describe('planPass', () => {
  it('creates a hot Zoho contact in HubSpot, carrying the Zoho id as cross-reference', () => {
    const plan = planPass(input({ zoho: record('zoho', 'z1', ada), hubspot: null }));
    expect(plan.action).toBe('write');
    const { targets, origin } = plan as WritePlan;
    expect(targets).toEqual([
      expect.objectContaining({ system: 'hubspot', operation: 'create', fields: { email: 'ada@example.com', lastName: 'Lovelace', leadStatus: 'Hot' }, links: { crossRefs: { zoho: 'z1' } } }),
    ]);
    expect(origin).toBeNull();
  });

  it("skips a contact HubSpot's holds rule leaves out when no other system holds it", () => {
    expect(planPass(input({ zoho: record('zoho', 'z1', { ...ada, leadStatus: 'Cold' }), hubspot: null }))).toEqual({ action: 'skip', reason: 'no other system holds this contact' });
  });

  it('creates it anyway where forced (a company a contact there needs)', () => {
    const forced = { ...input({ zoho: record('zoho', 'z1', { ...ada, leadStatus: 'Cold' }), hubspot: null }), forceCreate: ['hubspot'] };
    expect((planPass(forced) as WritePlan).targets.map((t) => t.system)).toEqual(['hubspot']);
  });

  /*
   * Found by the chaos suite (worker-kill; histories hubspot:contact:1034 and zoho:contact:…021): a HubSpot pass wrote
   * Zoho and saved the entity with Zoho's new country, then its own HubSpot write was refused (a person's edit of
   * another field had landed meanwhile). The redo read HubSpot's country empty, its link base empty, the agreed value
   * set: nobody changed it, so the agreed value stands and must be written to HubSpot. The empty field was taken for
   * "nothing to say" and fell through to the agreed value, so nothing was written, and HubSpot stayed without it.
   */
  it('refills a field a refused write left empty: the agreed value is written where the record holds nothing', () => {
    const agreed = { ...ada, country: 'Norway' };
    const hubspotHeld = { ...ada, country: null };
    const entity: Entity = {
      id: '1',
      object: 'contact',
      base: agreed,
      links: { zoho: { recordId: 'z1', base: agreed, version: 'v2', modifiedAt: T0 }, hubspot: { recordId: 'h1', base: hubspotHeld, version: 'v1', modifiedAt: T0 } },
      revision: 3,
      updatedAt: '',
    };
    const records = { zoho: record('zoho', 'z1', agreed, { crossRefs: { hubspot: 'h1' } }), hubspot: record('hubspot', 'h1', hubspotHeld, { crossRefs: { zoho: 'z1' } }) };
    const plan = planPass(input(records, entity, 'hubspot')) as WritePlan;
    expect(plan.origin).toEqual(expect.objectContaining({ system: 'hubspot', fields: { country: 'Norway' }, expected: { country: null } }));
    expect(plan.targets).toEqual([]);
    // what passes of workflow code from before the fix still decide when their histories replay
    expect(planPass({ ...input(records, entity, 'hubspot'), emptyIsHeld: false })).toMatchObject({ action: 'write', origin: null, targets: [] });
  });

  it('refuses a read older than the version its link records', () => {
    const entity: Entity = {
      id: '1',
      object: 'contact',
      base: ada,
      links: { zoho: { recordId: 'z1', base: ada, version: 'v2', modifiedAt: T0 + 5000 }, hubspot: { recordId: 'h1', base: ada, version: 'v1', modifiedAt: T0 } },
      revision: 3,
      updatedAt: '',
    };
    expect(planPass(input({ zoho: record('zoho', 'z1', ada), hubspot: record('hubspot', 'h1', ada) }, entity))).toEqual({ action: 'stale', system: 'zoho' });
  });

  it("asks for the contact's company first where it has no record yet", () => {
    const plan = planPass(input({ zoho: record('zoho', 'z1', ada, { companyId: 'a9' }), hubspot: null }));
    expect(plan).toEqual({ action: 'needs-reference', target: 'hubspot', object: 'company', value: 'zoho:a9' });
  });

  it('reports invalid data for the system that would refuse it', () => {
    const plan = planPass(input({ hubspot: record('hubspot', 'h1', { email: 'not-an-email', lastName: 'X' }), zoho: null }, null, 'hubspot'));
    expect(plan).toMatchObject({ action: 'invalid', target: 'zoho', operation: 'create' });
  });
});

describe('entityAfter', () => {
  const entity: Entity = {
    id: '7',
    object: 'contact',
    base: ada,
    links: { zoho: { recordId: 'z1', base: ada, version: 'v1', modifiedAt: T0 }, hubspot: { recordId: 'h1', base: ada, version: 'v1', modifiedAt: T0 } },
    revision: 2,
    updatedAt: '',
  };
  const edited = { ...ada, lastName: 'King' };

  it('moves a written system to the merged values, and leaves a refused one as it was read', () => {
    const at = input({ zoho: record('zoho', 'z1', edited), hubspot: record('hubspot', 'h1', ada) }, entity);
    const plan = planPass(at) as WritePlan;
    expect(plan.targets).toEqual([expect.objectContaining({ system: 'hubspot', fields: { lastName: 'King' }, expected: { lastName: 'Lovelace' } })]);
    const written = entityAfter(at, plan, plan.targets, { hubspot: { id: 'h1', version: 'v2', modifiedAt: T0 + 1000, created: false } }, 2);
    expect(written).toMatchObject({ id: '7', base: edited, expectedRevision: 2 });
    expect(written.links.hubspot).toEqual({ recordId: 'h1', base: expect.objectContaining({ lastName: 'King' }), version: 'v2', modifiedAt: T0 + 1000 });
    const refused = entityAfter(at, plan, plan.targets, { hubspot: null }, 2);
    expect(refused.links.hubspot?.base.lastName).toBe('Lovelace');
    expect(refused.base.lastName).toBe('King');
  });

  it("gives the origin the ids of the records created in this pass", () => {
    const at = input({ zoho: record('zoho', 'z1', ada), hubspot: null });
    const plan = planPass(at) as WritePlan;
    const origin = originAfter(settings.rules, plan, at.records.zoho as RecordSnapshot, { hubspot: { id: 'h9', version: 'v1', modifiedAt: T0, created: true } });
    expect(origin).toMatchObject({ system: 'zoho', operation: 'update', id: 'z1', links: { crossRefs: { hubspot: 'h9' } } });
  });

  it("gives the other records the ids of the records created beside them (a new buyer's HubSpot contact, its Zoho contact)", () => {
    // the buyer's pass from the shop, forced into HubSpot for a deal: Zoho has the buyer already, untouched by the plan
    const buyer = { email: 'ada@example.com', lastName: 'Lovelace' };
    const at: PlanInput = { ...input({ shop: record('shop', 'u1', buyer), zoho: record('zoho', 'z1', buyer, { crossRefs: {} }), hubspot: null }, null, 'shop'), settings: SHOP_HUB_SETTINGS, forceCreate: ['hubspot'] };
    const plan = planPass(at) as WritePlan;
    expect(plan.targets.map((t) => t.system)).toEqual(['hubspot']);
    const made = { hubspot: { id: 'h9', version: 'v1', modifiedAt: T0, created: true } };
    expect(crossRefFollowUps(at, plan, made)).toEqual([{ system: 'zoho', operation: 'update', id: 'z1', fields: {}, links: { crossRefs: { hubspot: 'h9' } }, expected: {} }]);
    // a record that names it already, or a create that did not happen, asks for nothing
    const named = { ...at, records: { ...at.records, zoho: record('zoho', 'z1', buyer, { crossRefs: { hubspot: 'h9' } }) } };
    expect(crossRefFollowUps(named, plan, made)).toEqual([]);
    expect(crossRefFollowUps(at, plan, { hubspot: null })).toEqual([]);
  });
});

describe('planPass for a deal', () => {
  const purchase = { name: 'Purchase 300001', amount: '39.98', currency: 'EUR', stage: 'closedwon', closeDate: '2026-11-01T10:00:00.000Z' };
  const contact: Entity = {
    id: '7',
    object: 'contact',
    base: {},
    links: { shop: { recordId: '100001', base: {}, version: '1', modifiedAt: T0 }, hubspot: { recordId: 'h1', base: {}, version: 'v', modifiedAt: T0 } },
    revision: 1,
    updatedAt: '',
  };
  const deal = (system: string, id: string, extra: Partial<RecordSnapshot>): RecordSnapshot => ({ ref: { system, object: 'deal', id }, version: String(T0), modifiedAt: T0, fields: {}, ...extra });
  const dealInput = (records: PlanInput['records']): PlanInput => ({
    settings: SHOP_HUB_SETTINGS,
    object: 'deal',
    origin: 'shop',
    entity: null,
    records,
    references: referenceIndex([contact]),
    forceCreate: [],
  });

  it('creates the HubSpot deal on the buyer it has there, and nothing in Zoho', () => {
    const plan = planPass(dealInput({ shop: deal('shop', '300001', { fields: purchase, contactId: '100001', companyId: null }), hubspot: null })) as WritePlan;
    expect(plan.targets).toEqual([expect.objectContaining({ system: 'hubspot', operation: 'create', fields: purchase, links: { crossRefs: { shop: '300001' }, contactId: 'h1' } })]);
    expect(plan.origin).toBeNull();
  });

  it("puts back the buyer when the HubSpot deal lost its contact: HubSpot's deals are written, never read", () => {
    const records = { shop: deal('shop', '300001', { fields: purchase, contactId: '100001', companyId: null }), hubspot: deal('hubspot', 'd1', { fields: {}, contactId: null, companyId: null, crossRefs: { shop: '300001' } }) };
    const plan = planPass(dealInput(records)) as WritePlan;
    expect(plan.merged['@contact']).toBe('7');
    expect(plan.targets).toEqual([expect.objectContaining({ system: 'hubspot', operation: 'update', links: { contactId: 'h1' } })]);
  });
});

