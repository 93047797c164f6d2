import express from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../src/connectors/errors';
import type { BatchOutcome, CrmConnector } from '../../src/connectors/types';
import { crossReferenceFields, fromCanonical, matchKeysOf, toCanonical } from '../../src/domain/mapping';
import type { CrmObject, FieldValues, RecordLinks, RecordSnapshot, WriteResult } from '../../src/domain/records';
import { DEFAULT_SYNC_RULES, parseSyncRules, type SyncRules } from '../../src/domain/schema/sync-rules';
import { acceptChanges, rejectWith } from '../../src/ingress/accept-changes';
import { hubspot as hubspotSystem } from '../../src/systems/hubspot/definition';
import type { SystemDefinition } from '../../src/systems/types';
import { zoho as zohoSystem } from '../../src/systems/zoho/definition';
import { linkedOf } from '../support/links';
import { startTestStackWithAdmins, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait-for';

/**
 * The hub with a system of the test's own: "ledger", whose API is an in-memory store in this file. Nothing in src/
 * knows it; it is registered here exactly as src/systems/registry.ts registers HubSpot and Zoho (docs/ARCHITECTURE.md,
 * "Adding a system", walks through it).
 */
interface LedgerRow {
  id: string;
  /** the ledger's own field names */
  raw: Record<string, string | null>;
  modifiedAt: number;
}

class Ledger {
  private rows = new Map<string, LedgerRow>();
  private next = 1;
  private clock = Date.now();
  writes = 0;

  /** Strictly increasing stamps at the second, like Zoho's: the hub compares times at that precision. */
  private stamp(): number {
    this.clock = Math.max(Date.now(), this.clock + 1000);
    return this.clock;
  }
  put(raw: Record<string, string | null>, id?: string): LedgerRow {
    const key = id ?? String(this.next++);
    const row = { id: key, raw: { ...this.rows.get(key)?.raw, ...raw }, modifiedAt: this.stamp() };
    this.rows.set(key, row);
    return row;
  }
  get(id: string): LedgerRow | undefined {
    return this.rows.get(id);
  }
  remove(id: string): void {
    this.rows.delete(id);
  }
  all(): LedgerRow[] {
    return [...this.rows.values()];
  }
}

function ledgerConnector(ledger: Ledger, rules: SyncRules): CrmConnector {
  const crossRefs = (object: CrmObject) => crossReferenceFields(rules, 'ledger', object);
  const snapshot = (object: CrmObject, row: LedgerRow): RecordSnapshot => {
    const refs: Record<string, string> = {};
    for (const [system, field] of Object.entries(crossRefs(object))) {
      const id = row.raw[field];
      if (id) refs[system] = id;
    }
    return { ref: { system: 'ledger', object, id: row.id }, version: String(row.modifiedAt), modifiedAt: row.modifiedAt, fields: toCanonical(rules, 'ledger', object, row.raw), crossRefs: refs };
  };
  const wire = (object: CrmObject, fields: FieldValues, links: RecordLinks): Record<string, string | null> => {
    const raw = fromCanonical(rules, 'ledger', object, fields);
    const refFields = crossRefs(object);
    for (const [system, id] of Object.entries(links.crossRefs ?? {})) if (refFields[system]) raw[refFields[system]] = id;
    return raw;
  };
  const written = (row: LedgerRow, created: boolean): WriteResult => ({ id: row.id, version: String(row.modifiedAt), modifiedAt: row.modifiedAt, created });
  const find = (object: CrmObject, fields: FieldValues) => {
    const email = matchKeysOf(object, fields).email;
    return email ? ledger.all().find((row) => row.raw.mail === email) : undefined;
  };
  const connector: CrmConnector = {
    system: 'ledger',
    ensureSchema: async () => undefined,
    get: async (object, id) => {
      const row = ledger.get(id);
      return row ? snapshot(object, row) : null;
    },
    findMatch: async (object, keys) => {
      const row = keys.email ? ledger.all().find((r) => r.raw.mail === keys.email?.toLowerCase()) : undefined;
      return row ? snapshot(object, row) : null;
    },
    create: async (object, fields, links) => {
      ledger.writes += 1;
      // the email is the ledger's unique key: a retried create lands on the record its first attempt made
      const existing = find(object, fields);
      return written(ledger.put(wire(object, fields, links), existing?.id), existing === undefined);
    },
    update: async (object, id, fields, links) => {
      if (!ledger.get(id)) throw new NotFoundError(`ledger ${object} ${id} does not exist`, 404);
      ledger.writes += 1;
      return written(ledger.put(wire(object, fields, links), id), false);
    },
    archive: async (_object, id) => ledger.remove(id),
    listPage: async (object, page) => {
      const rows = ledger.all().filter((row) => !page.cursor || Number(row.id) > Number(page.cursor)).slice(0, page.limit);
      const last = rows[rows.length - 1];
      return { records: rows.map((row) => snapshot(object, row)), ...(rows.length === page.limit && last ? { nextCursor: last.id } : {}) };
    },
    count: async () => ledger.all().length,
    getMany: async (object, ids) => ids.flatMap((id) => {
      const row = ledger.get(id);
      return row ? [snapshot(object, row)] : [];
    }),
    findMatches: async (object, keys) => Promise.all(keys.map((k) => connector.findMatch(object, k))),
    createMany: async (object, inputs) => Promise.all(inputs.map(async (input): Promise<BatchOutcome> => ({ ok: true, result: await connector.create(object, input.fields, input.links) }))),
    updateMany: async (object, inputs) => Promise.all(inputs.map(async (input): Promise<BatchOutcome> => ({ ok: true, result: await connector.update(object, input.id, input.fields, input.links) }))),
  };
  return connector;
}

const LedgerChange = z.object({ id: z.string().min(1) });

function ledgerSystem(ledger: Ledger): SystemDefinition {
  return {
    name: 'ledger',
    label: 'Ledger',
    objects: { contact: 'people' },
    canMatch: true,
    mergesCompaniesByName: false,
    createConnector: ({ rules }) => ledgerConnector(ledger, rules),
    activitiesPerSecond: () => 50,
    // the ledger tells us a person changed with POST /webhooks/ledger {"id": "…"}
    ingress: (deps) =>
      express.Router().post('/', express.json(), async (req, res) => {
        const body = LedgerChange.safeParse(req.body);
        if (!body.success) return rejectWith(res, deps, 'ledger', 400, 'invalid payload', body.error.message);
        const change = { ref: { system: 'ledger', object: 'contact' as const, id: body.data.id }, event: { kind: 'change' as const, occurredAt: Date.now() } };
        await acceptChanges(res, deps, 'ledger', [change], { ignored: 0, ownWrites: 0 });
      }),
  } satisfies SystemDefinition;
}

/** The default rules with a ledger column for a few contact fields, the ledger last in priority. */
function hubRules(): SyncRules {
  const contact = DEFAULT_SYNC_RULES.mappings.contact.map((mapping) => {
    const ledgerField = ({ email: 'mail', firstName: 'given', lastName: 'family', jobTitle: 'role' } as Record<string, string>)[mapping.name];
    return ledgerField ? { ...mapping, systems: { ...mapping.systems, ledger: { field: ledgerField, direction: 'both' as const, required: false } } } : mapping;
  });
  return parseSyncRules({
    ...DEFAULT_SYNC_RULES,
    priority: [...DEFAULT_SYNC_RULES.priority, 'ledger'],
    crossReference: { ...DEFAULT_SYNC_RULES.crossReference, ledger: { hubspot: 'hubspot_ref', zoho: 'zoho_ref' } },
    mappings: { ...DEFAULT_SYNC_RULES.mappings, contact },
  });
}

describe('the hub with a third system registered by a test', () => {
  const ledger = new Ledger();
  let stack: TestStack;
  let hubspot: Awaited<ReturnType<typeof startTestStackWithAdmins>>['hubspot'];
  let zoho: Awaited<ReturnType<typeof startTestStackWithAdmins>>['zoho'];

  beforeAll(async () => {
    ({ stack, hubspot, zoho } = await startTestStackWithAdmins({ testFile: __filename, systems: [hubspotSystem, zohoSystem, ledgerSystem(ledger)], rules: hubRules() }));
  });
  afterAll(async () => stack?.close());

  const notifyLedger = async (id: string) => {
    const res = await fetch(`${stack.apiUrl}/webhooks/ledger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
    expect(res.status).toBe(200);
  };
  const zohoContact = async (email: string) => (await zoho.records('Contacts')).find((r) => r.Email === email);
  const hubspotContact = async (email: string) => (await hubspot.records('contacts')).find((r) => r.properties.email === email);

  test('a contact created in HubSpot reaches Zoho and the ledger, one entity with three links', async () => {
    const created = await hubspot.create('contacts', { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'Analyst' });
    const row = await waitFor(async () => ledger.all().find((r) => r.raw.mail === 'ada@example.com'), 'the contact in the ledger');
    expect(row.raw).toMatchObject({ given: 'Ada', family: 'Lovelace', role: 'Analyst', hubspot_ref: created.id });
    const inZoho = await waitFor(() => zohoContact('ada@example.com'), 'the contact in Zoho');
    const linked = await waitFor(async () => {
      const entity = await linkedOf(stack.services.store, { system: 'hubspot', object: 'contact', id: created.id });
      return entity && Object.keys(entity.ids).length === 3 ? entity : null;
    }, 'three links');
    expect(linked.ids).toEqual({ hubspot: created.id, zoho: inZoho.id, ledger: row.id });
    // the origin learns both new ids; the ledger holds the HubSpot id it was created from
    await waitFor(async () => (await hubspotContact('ada@example.com'))?.properties.zoho_record_id === inZoho.id, 'the Zoho id in HubSpot');
  });

  test('an edit in the ledger reaches both CRMs, and one in Zoho reaches the ledger and HubSpot', async () => {
    const row = ledger.all().find((r) => r.raw.mail === 'ada@example.com') as LedgerRow;
    ledger.put({ role: 'Chief Analyst' }, row.id);
    await notifyLedger(row.id);
    await waitFor(async () => (await hubspotContact('ada@example.com'))?.properties.jobtitle === 'Chief Analyst', 'the ledger edit in HubSpot');
    await waitFor(async () => (await zohoContact('ada@example.com'))?.Title === 'Chief Analyst', 'the ledger edit in Zoho');

    const inZoho = (await zohoContact('ada@example.com')) as { id: string };
    await zoho.update('Contacts', inZoho.id, { Last_Name: 'King' });
    await waitFor(async () => ledger.get(row.id)?.raw.family === 'King', 'the Zoho edit in the ledger');
    await waitFor(async () => (await hubspotContact('ada@example.com'))?.properties.lastname === 'King', 'the Zoho edit in HubSpot');
    // no duplicates anywhere, and one entity still
    expect(ledger.all().filter((r) => r.raw.mail === 'ada@example.com')).toHaveLength(1);
    expect((await zoho.records('Contacts')).filter((r) => r.Email === 'ada@example.com')).toHaveLength(1);
    expect(await stack.services.store.countEntities('contact')).toBe(1);
  });

  test('a person created in the ledger reaches Zoho (which holds everything) but not HubSpot (not hot)', async () => {
    const row = ledger.put({ mail: 'grace@example.com', given: 'Grace', family: 'Hopper' });
    await notifyLedger(row.id);
    const inZoho = await waitFor(() => zohoContact('grace@example.com'), 'the ledger person in Zoho');
    expect(inZoho).toMatchObject({ First_Name: 'Grace', Last_Name: 'Hopper' });
    await waitFor(async () => ledger.get(row.id)?.raw.zoho_ref === inZoho.id, 'the Zoho id written into the ledger');
    expect(await hubspotContact('grace@example.com')).toBeUndefined();
  });

  test('a malformed ledger notification is refused with a reason', async () => {
    const res = await fetch(`${stack.apiUrl}/webhooks/ledger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid payload' });
  });
});
