import { BULK_DELIVERY_RECORDS, lanesOf, type DeliveredChange } from '../../../src/ingress/accept-changes';

const change = (id: number, author?: string, kind: 'create' | 'change' | 'delete' = 'change', occurredAt = 1_000): DeliveredChange => ({
  ref: { system: 'hubspot', object: 'contact', id: String(id) },
  event: { kind, occurredAt },
  ...(author === undefined ? {} : { author }),
});
const ids = (changes: { ref: { id: string } }[]) => changes.map((c) => Number(c.ref.id)).sort((a, b) => a - b);
const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

describe('which of a delivery’s records are a burst (the load lane) and which are people’s edits (live)', () => {
  it('a delivery of at most BULK_DELIVERY_RECORDS records is live whoever made it', () => {
    const { live, bulk } = lanesOf(range(1, BULK_DELIVERY_RECORDS).map((id) => change(id, 'IMPORT ')));
    expect(ids(live)).toEqual(range(1, BULK_DELIVERY_RECORDS));
    expect(bulk).toEqual([]);
  });

  it('one author past the bound is a burst; without authors (a Zoho notification) the delivery counts as one', () => {
    expect(ids(lanesOf(range(1, BULK_DELIVERY_RECORDS + 1).map((id) => change(id, 'IMPORT '))).bulk)).toEqual(range(1, BULK_DELIVERY_RECORDS + 1));
    expect(ids(lanesOf(range(1, BULK_DELIVERY_RECORDS + 1).map((id) => change(id))).bulk)).toEqual(range(1, BULK_DELIVERY_RECORDS + 1));
  });

  it('many people, each with a few records, stay live however many records the delivery names', () => {
    const { live, bulk } = lanesOf(range(1, 60).map((id) => change(id, `CRM_UI userId:${id % 30}`)));
    expect(ids(live)).toEqual(range(1, 60));
    expect(bulk).toEqual([]);
  });

  it("a record a person changed is live even when a burst names it too, and keeps one change carrying the burst's strongest kind", () => {
    const burst = range(1, BULK_DELIVERY_RECORDS + 1).map((id) => change(id, 'IMPORT ', 'create', 1_000));
    const { live, bulk } = lanesOf([...burst, change(3, 'CRM_UI userId:7', 'change', 2_000), change(100, 'CRM_UI userId:8')]);
    expect(ids(live)).toEqual([3, 100]);
    expect(live.find((c) => c.ref.id === '3')?.event).toEqual({ kind: 'create', occurredAt: 2_000 });
    expect(ids(bulk)).toEqual(range(1, BULK_DELIVERY_RECORDS + 1).filter((id) => id !== 3));
  });

  it('never hands the author on: it names a person, and signals and workflow inputs are kept in history', () => {
    const { live, bulk } = lanesOf([...range(1, BULK_DELIVERY_RECORDS + 1).map((id) => change(id, 'IMPORT userId:1')), change(99, 'CRM_UI userId:2')]);
    expect([...live, ...bulk].every((c) => !('author' in c))).toBe(true);
  });
});
