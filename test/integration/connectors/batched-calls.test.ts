import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCrmActivities } from '../../../src/activities/crm-activities';
import { createJoinedPassActivities } from '../../../src/activities/joined-pass-activities';
import { createStoreActivities } from '../../../src/activities/store-activities';
import { NotFoundError, RateLimitedError, StaleReadError, TransientCrmError } from '../../../src/connectors/errors';
import { createHubspotConnector } from '../../../src/connectors/hubspot/connector';
import { hubspotTokenExchange } from '../../../src/connectors/hubspot/token-exchange';
import { createTokenProvider } from '../../../src/connectors/oauth/token-provider';
import { createBatchedCalls, type BatchedCalls, type RecordReader } from '../../../src/connectors/batched-calls';
import { updateChecked, updateManyChecked } from '../../../src/connectors/checked-update';
import type { CrmConnector } from '../../../src/connectors/types';
import { createZohoConnector } from '../../../src/connectors/zoho/connector';
import { zohoTokenExchange } from '../../../src/connectors/zoho/token-exchange';
import type { CrmObject, RecordSnapshot } from '../../../src/domain/records';
import { DEFAULT_SYNC_RULES } from '../../../src/domain/schema/sync-rules';
import { createHubspotSimulator, type HubspotSimulator } from '../../../src/sandbox/hubspot';
import { createZohoSimulator, type ZohoSimulator } from '../../../src/sandbox/zoho';
import { openStore, type SyncStore } from '../../../src/store';
import { hubspotAdmin, routeCounts, zohoAdmin } from '../../support/sim-client';
import { waitFor } from '../../support/wait-for';
import { unique } from './harness';

const rules = DEFAULT_SYNC_RULES;
/** An id neither simulator ever hands out. */
const NEVER_CREATED = '987654321987';

type Admin = ReturnType<typeof hubspotAdmin> | ReturnType<typeof zohoAdmin>;

/** get's answers for `ids`, one request each, without the absent ones: what getMany must equal. */
async function readOneByOne(connector: CrmConnector, object: CrmObject, ids: string[]): Promise<RecordSnapshot[]> {
  const answers = await Promise.all(ids.map((id) => connector.get(object, id)));
  return answers.filter((answer): answer is RecordSnapshot => answer !== null);
}

const byId = (snapshots: RecordSnapshot[]): RecordSnapshot[] => [...snapshots].sort((a, b) => a.ref.id.localeCompare(b.ref.id));

/** What the update and match cases need of a CRM under test, read once its beforeAll has run. */
interface CrmUnderTest {
  connector(): CrmConnector;
  calls(): BatchedCalls;
  admin(): Admin;
  /** at least three live contacts, and one deleted */
  contacts(): string[];
  deleted(): string;
  /** the routes reads by id take: single, batch, and any other a batch read adds */
  readRoutes: { single: string; batch: string } & Record<string, string>;
  writeRoutes: { single: string; batch: string };
  /** the routes a match by email takes, single then batch */
  matchRoutes: { single: string; batch: string };
}

/** `connector`, with `edit` made once, by a person, right after the check's read and before the write it checks */
function racedConnector(connector: CrmConnector, edit: () => Promise<unknown>): CrmConnector {
  let pending = true;
  const beforeWrite = async () => {
    if (pending) await edit();
    pending = false;
  };
  return {
    ...connector,
    update: async (object, id, fields, links, unmodifiedSince) => (await beforeWrite(), connector.update(object, id, fields, links, unmodifiedSince)),
    updateMany: async (object, inputs) => (await beforeWrite(), connector.updateMany(object, inputs)),
  };
}

const jobTitleOf = async (crm: CrmUnderTest, id: string) => (await crm.connector().get('contact', id))?.fields.jobTitle ?? null;

/** What both CRMs must do alike: typed failures of gathered reads, and updates and matches in their batch forms. */
function casesForBothCrms(crm: CrmUnderTest): void {
  beforeEach(() => crm.admin().resetStats());
  afterEach(() => crm.admin().clearFaults());

  it('fails every read of a failed batch with its typed, retryable error', async () => {
    const readAll = () => Promise.all(crm.contacts().map((id) => crm.calls().read('contact', id).catch((error: unknown) => error)));
    await crm.admin().faults({ errorRate: 1 });
    const failures = await readAll();
    expect(failures[0]).toBeInstanceOf(TransientCrmError);
    expect((failures[0] as TransientCrmError).retryable).toBe(true);
    for (const failure of failures) expect(failure).toBe(failures[0]);

    await crm.admin().faults({ errorRate: 0, rateLimitRate: 1 });
    const limited = await readAll();
    expect(limited[0]).toBeInstanceOf(RateLimitedError);
    expect((limited[0] as RateLimitedError).retryable).toBe(true);
    for (const failure of limited) expect(failure).toBe(limited[0]);
    // two batch reads (each with the associations read HubSpot's sends beside it), no single read
    const expected = Object.fromEntries(Object.keys(crm.readRoutes).map((name) => [name, name === 'single' ? 0 : 2]));
    expect(await routeCounts(crm.admin(), crm.readRoutes)).toEqual(expected);
  });

  it('gathers concurrent updates of distinct records into one batch update, each answered as a single update answers', async () => {
    const ids = crm.contacts().slice(0, 3);
    const titles = ids.map(() => unique('Title'));
    const fieldsOf = (i: number) => ({ jobTitle: titles[i] ?? null });
    const results = await Promise.all(ids.map((id, i) => crm.calls().update('contact', id, fieldsOf(i), {})));
    expect(await routeCounts(crm.admin(), crm.writeRoutes)).toEqual({ single: 0, batch: 1 });
    expect(results.map((result) => result.id)).toEqual(ids);
    for (const [i, id] of ids.entries()) {
      const now = await crm.connector().get('contact', id);
      expect(now?.fields.jobTitle).toBe(titles[i]);
      expect(results[i]).toEqual({ id, version: now?.version, modifiedAt: now?.modifiedAt, created: false });
    }
  });

  it('sends two updates of one record made at once one after the other, the later one last', async () => {
    const [id = ''] = crm.contacts();
    const [first, second] = [unique('First'), unique('Second')];
    await Promise.all([crm.calls().update('contact', id, { jobTitle: first }, {}), crm.calls().update('contact', id, { jobTitle: second }, {})]);
    // two requests (Zoho's single update is a PUT of a one-record list, on the batch route)
    const { single, batch } = await routeCounts(crm.admin(), crm.writeRoutes);
    expect((single ?? 0) + (batch ?? 0)).toBe(2);
    expect(await jobTitleOf(crm, id)).toBe(second);
  });

  it("fails only the update of a deleted record, with get's NotFoundError, and writes the rest of its batch", async () => {
    const [a = '', b = ''] = crm.contacts();
    const title = unique('Kept');
    const outcomes = await Promise.allSettled([a, crm.deleted(), b].map((id) => crm.calls().update('contact', id, { jobTitle: title }, {})));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    expect(await routeCounts(crm.admin(), crm.writeRoutes)).toEqual({ single: 0, batch: 1 });
    expect([await jobTitleOf(crm, a), await jobTitleOf(crm, b)]).toEqual([title, title]);
  });

  it('checks gathered updates against what their plans read with one batch read of fields only, then writes the unchanged in one batch update', async () => {
    const [a = '', b = '', c = ''] = crm.contacts();
    const planned = await Promise.all([a, b, c].map((id) => jobTitleOf(crm, id)));
    const person = unique('Person');
    await crm.connector().update('contact', b, { jobTitle: person }, {});
    await crm.admin().resetStats();
    const title = unique('Planned');
    const expected = [...planned, 'Whatever'].map((jobTitle) => ({ jobTitle }));
    const outcomes = await Promise.allSettled([a, b, c, crm.deleted()].map((id, i) => crm.calls().update('contact', id, { jobTitle: title }, {}, expected[i])));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(StaleReadError);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError);
    // and where the CRM keeps field history, one batch read of the written fields' history after the write
    const batchReads = crm.connector().aroundWrites ? 2 : 1;
    const reads = Object.fromEntries(Object.keys(crm.readRoutes).map((name) => [name, name === 'batch' ? batchReads : 0]));
    expect(await routeCounts(crm.admin(), crm.readRoutes)).toEqual(reads);
    expect(await routeCounts(crm.admin(), crm.writeRoutes)).toEqual({ single: 0, batch: 1 });
    expect(await Promise.all([a, b, c].map((id) => jobTitleOf(crm, id)))).toEqual([title, person, title]);

    // alone, the same check: the record read, and nothing written
    await crm.admin().resetStats();
    await expect(crm.calls().update('contact', b, { jobTitle: title }, {}, expected[1])).rejects.toBeInstanceOf(StaleReadError);
    expect(await routeCounts(crm.admin(), crm.writeRoutes)).toEqual({ single: 0, batch: 0 });
    expect(await jobTitleOf(crm, b)).toBe(person);
  });

  it('gathers concurrent matches into one batch match, answered as single matches answer', async () => {
    const emails = await Promise.all(crm.contacts().slice(0, 2).map(async (id) => (await crm.connector().get('contact', id))?.fields.email));
    const keys = [...emails, `${unique('nobody')}@example.com`, emails[0]].map((email) => ({ email: String(email).toUpperCase() }));
    const single = await Promise.all(keys.map((k) => crm.connector().findMatch('contact', k)));
    await crm.admin().resetStats();
    const gathered = await Promise.all(keys.map((k) => crm.calls().findMatch('contact', k)));
    expect(gathered.map((match) => match?.ref.id ?? null)).toEqual([...crm.contacts().slice(0, 2), null, crm.contacts()[0]]);
    expect(gathered).toEqual(single);
    expect(await routeCounts(crm.admin(), crm.matchRoutes)).toEqual({ single: 0, batch: 1 });
  });
}

describe('Batched calls over the HubSpot simulator', () => {
  const CLIENT = { clientId: 'cid', clientSecret: 'batch-secret', refreshToken: 'refresh-1' };
  const ROUTES = {
    single: 'GET /crm/v3/objects/:objectType/:objectId',
    batch: 'POST /crm/v3/objects/:objectType/batch/read',
    associations: 'POST /crm/v4/associations/:fromObjectType/:toObjectType/batch/read',
  };
  const WRITE_ROUTES = { single: 'PATCH /crm/v3/objects/:objectType/:objectId', batch: 'POST /crm/v3/objects/:objectType/batch/update' };
  let sim: HubspotSimulator;
  let store: SyncStore;
  let hubspot: CrmConnector;
  let admin: ReturnType<typeof hubspotAdmin>;
  let calls: BatchedCalls;
  let read: RecordReader;
  let companyId: string;
  /** contacts[0] follows companyId; the others follow no company */
  let contacts: string[];
  let deletedContact: string;

  beforeAll(async () => {
    sim = await createHubspotSimulator({ port: 0, ...CLIENT, searchIndexDelayMs: 0, rateLimit: { perTenSeconds: 10_000, searchPerSecond: 1000 } });
    store = await openStore({});
    const tokens = createTokenProvider({ system: 'hubspot', store, refreshTokenFromConfig: CLIENT.refreshToken, exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }) });
    hubspot = createHubspotConnector({ rules, basePath: sim.url, tokens });
    admin = hubspotAdmin(sim.url);
    calls = createBatchedCalls(hubspot);
    read = calls.read;
    await hubspot.ensureSchema();
    companyId = (await hubspot.create('company', { name: `Batch Co ${unique('')}`, domain: `${unique('batch')}.example` }, { crossRefs: { zoho: unique('z') } })).id;
    const contact = async (links: { companyId?: string } = {}) =>
      (await hubspot.create('contact', { email: `${unique('reader')}@example.com`, firstName: 'Read', lastName: 'Batch' }, { crossRefs: { zoho: unique('z') }, ...links })).id;
    contacts = [await contact({ companyId }), await contact(), await contact(), await contact()];
    deletedContact = await contact({ companyId });
    await hubspot.archive('contact', deletedContact);
  });

  afterAll(async () => {
    await sim.close();
    await store.close();
  });

  it("getMany answers what get answers, references and modification stamps included; archived and unknown ids are left out", async () => {
    const ids = [...contacts, deletedContact, NEVER_CREATED];
    const [one, many] = await Promise.all([readOneByOne(hubspot, 'contact', ids), hubspot.getMany('contact', ids)]);
    expect(one).toHaveLength(contacts.length);
    expect(byId(many)).toEqual(byId(one));
    expect(many.find((s) => s.ref.id === contacts[0])?.companyId).toBe(companyId);

    const otherCompany = (await hubspot.create('company', { name: `Other Co ${unique('')}` }, { crossRefs: { zoho: unique('z') } })).id;
    expect(byId(await hubspot.getMany('company', [companyId, otherCompany]))).toEqual(byId(await readOneByOne(hubspot, 'company', [companyId, otherCompany])));
  });

  it('gathers concurrent reads of distinct records into one batch read, each answered with its own record', async () => {
    const answers = await Promise.all(contacts.map((id) => read('contact', id)));
    expect(answers.map((answer) => answer?.ref.id)).toEqual(contacts);
    expect(answers[0]?.companyId).toBe(companyId);
    // one batch read, plus the associations read its contacts' companies come from
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 0, batch: 1, associations: 1 });
  });

  it('reads a lone record with a single GET', async () => {
    const answer = await read('contact', contacts[0] ?? '');
    expect(answer).toEqual(await hubspot.get('contact', contacts[0] ?? ''));
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 2, batch: 0, associations: 0 });
  });

  it('answers the same record asked twice at once with one read', async () => {
    const [first, second] = await Promise.all([read('contact', contacts[1] ?? ''), read('contact', contacts[1] ?? '')]);
    expect(first?.ref.id).toBe(contacts[1]);
    expect(second).toBe(first);
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 1, batch: 0, associations: 0 });
  });

  it('answers archived and unknown records null while the rest of their batch resolves', async () => {
    const [archived, unknown, present] = await Promise.all([read('contact', deletedContact), read('contact', NEVER_CREATED), read('contact', contacts[2] ?? '')]);
    expect(archived).toBeNull();
    expect(unknown).toBeNull();
    expect(present?.ref.id).toBe(contacts[2]);
    expect(await routeCounts(admin, ROUTES)).toMatchObject({ single: 0, batch: 1 });
  });

  it('gathers reads asked while batches are under way into the next batch', async () => {
    await admin.faults({ latencyMs: 300 });
    const early = [read('contact', contacts[0] ?? '')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    early.push(read('contact', contacts[1] ?? ''));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // both earlier reads are still waiting for their answers: these three wait for one of them, then go together
    const late = [contacts[2], contacts[3], contacts[0]].map((id) => read('contact', id ?? ''));
    const answers = await Promise.all([...early, ...late]);
    expect(answers.map((answer) => answer?.ref.id)).toEqual([contacts[0], contacts[1], contacts[2], contacts[3], contacts[0]]);
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 2, batch: 1, associations: 1 });
  });

  it("forms a batch once the client's rolling window has room for it: reads asked meanwhile all join it, within the window", async () => {
    const tokens = createTokenProvider({ system: 'hubspot', store, refreshTokenFromConfig: CLIENT.refreshToken, exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }) });
    const paced = createBatchedCalls(createHubspotConnector({ rules, basePath: sim.url, tokens, requestsPerTenSeconds: 4 })).read;
    const [c0, c1, c2, c3] = contacts;
    const windowStarted = Date.now();
    // four lone reads fill the window (spaced 2.6 s apart): whatever is asked next waits for it to roll
    for (const id of [c0, c1, c2, c3]) await paced('contact', id ?? '');
    const first = paced('contact', c0 ?? '');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = [c1, c2, c3, c0].map((id) => paced('contact', id ?? ''));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 4, batch: 0, associations: 0 });

    const answers = await Promise.all([first, ...later]);
    expect(answers.map((answer) => answer?.ref.id)).toEqual([c0, c1, c2, c3, c0]);
    // one batch read and its associations read, the window's fifth and sixth requests: the sixth goes no sooner than
    // a window after the second (2.6 s after the first)
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 4, batch: 1, associations: 1 });
    expect(Date.now() - windowStarted).toBeGreaterThan(13_000);
  });

  it("matches companies in one search once search's own budget has room: matches asked meanwhile all join it", async () => {
    const tokens = createTokenProvider({ system: 'hubspot', store, refreshTokenFromConfig: CLIENT.refreshToken, exchange: hubspotTokenExchange({ basePath: sim.url, ...CLIENT }) });
    const match = createBatchedCalls(createHubspotConnector({ rules, basePath: sim.url, tokens, searchesPerSecond: 1 })).findMatch;
    const domains = [unique('one'), unique('two'), unique('three')].map((label) => `${label}.example`);
    const ids = await Promise.all(domains.map(async (domain) => (await hubspot.create('company', { name: `Match Co ${domain}`, domain }, { crossRefs: { zoho: unique('z') } })).id));
    const [d0, d1, d2] = domains;
    const SEARCH = { search: 'POST /crm/v3/objects/:objectType/search' };
    await admin.resetStats();

    const first = match('company', { domain: d0 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    // the first search spent this second's budget: the next match waits for a slot, and the ones asked meanwhile join it
    const second = match('company', { domain: d1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = [d2, d1, 'nowhere.example'].map((domain) => match('company', { domain }));
    const answers = await Promise.all([first, second, ...later]);
    expect(answers.map((answer) => answer?.ref.id ?? null)).toEqual([ids[0], ids[1], ids[2], ids[1], null]);
    expect(await routeCounts(admin, SEARCH)).toEqual({ search: 2 });
  });

  it('reads contacts two at a time with single GETs: a batch read and its associations read would cost as many', async () => {
    const pair = await Promise.all(contacts.slice(0, 2).map((id) => read('contact', id)));
    expect(pair.map((answer) => answer?.ref.id)).toEqual(contacts.slice(0, 2));
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 2, batch: 0, associations: 0 });
  });

  it('reads deals one by one until a batch read costs fewer requests than single GETs', async () => {
    const deal = async () =>
      (await hubspot.create('deal', { name: `Deal ${unique('')}`, amount: '10', stage: 'closedwon' }, { crossRefs: { shop: unique('p') }, contactId: contacts[0], companyId })).id;
    const deals = [await deal(), await deal(), await deal(), await deal()];
    await admin.resetStats();
    const three = await Promise.all(deals.slice(0, 3).map((id) => read('deal', id)));
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 3, batch: 0, associations: 0 });
    await admin.resetStats();
    const four = await Promise.all(deals.map((id) => read('deal', id)));
    // a batch read and one associations read per reference (contact, company): three requests for four deals
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 0, batch: 1, associations: 2 });
    expect(four.slice(0, 3)).toEqual(three);
    expect(four[3]).toMatchObject({ companyId, contactId: contacts[0] });
  });
  const racedBy = (edit: () => Promise<unknown>): CrmConnector => racedConnector(hubspot, edit);

  it("puts back a person's edit that lands between the check and the write, from the property's history, and answers that update stale", async () => {
    const [a = '', b = '', c = ''] = contacts;
    const planned = await Promise.all([a, b, c].map(async (id) => (await hubspot.get('contact', id))?.fields.jobTitle ?? null));
    const person = unique('Person');
    const title = unique('Planned');
    await admin.resetStats();
    const raced = racedBy(() => admin.update('contacts', b, { jobtitle: person }));
    const inputs = [a, b, c].map((id, i) => ({ id, fields: { jobTitle: title }, links: {}, expected: { jobTitle: planned[i] ?? null } }));
    const outcomes = await updateManyChecked(raced, 'contact', inputs);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(StaleReadError);
    const titles = async () => Promise.all([a, b, c].map(async (id) => (await hubspot.get('contact', id))?.fields.jobTitle ?? null));
    expect(await titles()).toEqual([title, person, title]);
    // the check, the write, the look back, one write back and the look back on it
    expect(await routeCounts(admin, { read: ROUTES.batch, write: WRITE_ROUTES.batch })).toEqual({ read: 3, write: 2 });

    // one record alone, the same
    const again = unique('Person');
    const alone = racedBy(() => admin.update('contacts', a, { jobtitle: again }));
    await expect(updateChecked(alone, 'contact', { id: a, fields: { jobTitle: unique('Planned') }, links: {}, expected: { jobTitle: title } })).rejects.toBeInstanceOf(StaleReadError);
    expect((await hubspot.get('contact', a))?.fields.jobTitle).toBe(again);
  });

  it("puts back in turn a person's edit that lands between the look-back and the write back", async () => {
    const [a = ''] = contacts;
    const planned = (await hubspot.get('contact', a))?.fields.jobTitle ?? null;
    const [first, second] = [unique('Person'), unique('Person')];
    // one edit lands before the write, another before the write back of the first
    let calls = 0;
    const racedTwice: CrmConnector = {
      ...hubspot,
      updateMany: async (object, inputs) => {
        calls++;
        if (calls <= 2) await admin.update('contacts', a, { jobtitle: calls === 1 ? first : second });
        return hubspot.updateMany(object, inputs);
      },
    };
    const [outcome] = await updateManyChecked(racedTwice, 'contact', [{ id: a, fields: { jobTitle: unique('Planned') }, links: {}, expected: { jobTitle: planned } }]);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(StaleReadError);
    // the write, the write back of the first edit, and the write back of the second over it
    expect(calls).toBe(3);
    expect((await hubspot.get('contact', a))?.fields.jobTitle).toBe(second);
  });

  it('tries a refused write back again, and answers a write whose look-back failed as the write answered', async () => {
    const [a = ''] = contacts;
    const planned = (await hubspot.get('contact', a))?.fields.jobTitle ?? null;
    const person = unique('Person');
    // the person's edit lands before the write; the write back's first try is refused with a 429
    let calls = 0;
    const refusedOnce: CrmConnector = {
      ...hubspot,
      updateMany: async (object, inputs) => {
        calls++;
        if (calls === 1) await admin.update('contacts', a, { jobtitle: person });
        if (calls === 2) await admin.faults({ rateLimitRate: 1 });
        try {
          return await hubspot.updateMany(object, inputs);
        } finally {
          if (calls === 2) await admin.clearFaults();
        }
      },
    };
    const [outcome] = await updateManyChecked(refusedOnce, 'contact', [{ id: a, fields: { jobTitle: unique('Planned') }, links: {}, expected: { jobTitle: planned } }]);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(StaleReadError);
    expect(calls).toBe(3);
    expect((await hubspot.get('contact', a))?.fields.jobTitle).toBe(person);

    // the look-back refused (every request fails once the write is done): the write stands and is answered as written
    const title = unique('Planned');
    const lookBackFails: CrmConnector = {
      ...hubspot,
      updateMany: async (object, inputs) => {
        const outcomes = await hubspot.updateMany(object, inputs);
        await admin.faults({ errorRate: 1 });
        return outcomes;
      },
    };
    try {
      const [written] = await updateManyChecked(lookBackFails, 'contact', [{ id: a, fields: { jobTitle: title }, links: {}, expected: { jobTitle: person } }]);
      expect(written).toMatchObject({ ok: true, result: { id: a } });
    } finally {
      await admin.clearFaults();
    }
    expect((await hubspot.get('contact', a))?.fields.jobTitle).toBe(title);
  });

  it('leaves alone an edit made after the write, a write whose check was right, and a person who typed our value meanwhile', async () => {
    const [a = '', b = ''] = contacts;
    const planned = await Promise.all([a, b].map(async (id) => (await hubspot.get('contact', id))?.fields.jobTitle ?? null));
    const later = unique('Later');
    const title = unique('Planned');
    const after: CrmConnector = {
      ...hubspot,
      updateMany: async (object, inputs) => {
        const outcomes = await hubspot.updateMany(object, inputs);
        await admin.update('contacts', b, { jobtitle: later });
        return outcomes;
      },
    };
    await admin.resetStats();
    const outcomes = await updateManyChecked(after, 'contact', [a, b].map((id, i) => ({ id, fields: { jobTitle: title }, links: {}, expected: { jobTitle: planned[i] ?? null } })));
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(await Promise.all([a, b].map(async (id) => (await hubspot.get('contact', id))?.fields.jobTitle ?? null))).toEqual([title, later]);
    expect(await routeCounts(admin, { read: ROUTES.batch, write: WRITE_ROUTES.batch })).toEqual({ read: 2, write: 1 });

    // a person who typed our very value between the check and the write lost nothing: no write back, no refusal
    const same = unique('Same');
    await admin.resetStats();
    const raced = racedBy(() => admin.update('contacts', a, { jobtitle: same }));
    const [outcome] = await updateManyChecked(raced, 'contact', [{ id: a, fields: { jobTitle: same }, links: {}, expected: { jobTitle: title } }]);
    expect(outcome?.ok).toBe(true);
    expect((await hubspot.get('contact', a))?.fields.jobTitle).toBe(same);
    expect(await routeCounts(admin, { read: ROUTES.batch, write: WRITE_ROUTES.batch })).toEqual({ read: 2, write: 1 });
  });

  casesForBothCrms({
    connector: () => hubspot,
    calls: () => calls,
    admin: () => admin,
    contacts: () => contacts,
    deleted: () => deletedContact,
    readRoutes: ROUTES,
    writeRoutes: WRITE_ROUTES,
    matchRoutes: { single: ROUTES.single, batch: ROUTES.batch },
  });
});

describe('Batched calls over the Zoho simulator', () => {
  const CLIENT = { clientId: 'zcid', clientSecret: 'zbatch-secret', refreshToken: 'zrefresh' };
  const ROUTES = { single: 'GET /crm/v8/:module/:id', batch: 'GET /crm/v8/:module' };
  let sim: ZohoSimulator;
  let store: SyncStore;
  let zoho: CrmConnector;
  let admin: ReturnType<typeof zohoAdmin>;
  let calls: BatchedCalls;
  let read: RecordReader;
  let accountId: string;
  let contacts: string[];
  let deletedContact: string;

  beforeAll(async () => {
    sim = await createZohoSimulator({ port: 0, ...CLIENT, searchIndexDelayMs: 0 });
    store = await openStore({});
    const tokens = createTokenProvider({ system: 'zoho', store, refreshTokenFromConfig: CLIENT.refreshToken, exchange: zohoTokenExchange({ accountsUrl: sim.url, ...CLIENT }) });
    zoho = createZohoConnector({ rules, apiBaseUrl: sim.url, tokens, rateLimitDefaultMs: 2500 });
    admin = zohoAdmin(sim.url);
    calls = createBatchedCalls(zoho);
    read = calls.read;
    await zoho.ensureSchema();
    accountId = (await zoho.create('company', { name: `Batch Account ${unique('')}` }, { crossRefs: { hubspot: unique('h') } })).id;
    const contact = async (links: { companyId?: string } = {}) =>
      (await zoho.create('contact', { email: `${unique('zreader')}@example.com`, firstName: 'Read', lastName: 'Batch' }, { crossRefs: { hubspot: unique('h') }, ...links })).id;
    contacts = [await contact({ companyId: accountId }), await contact(), await contact()];
    deletedContact = await contact({ companyId: accountId });
    await zoho.archive('contact', deletedContact);
  });

  afterAll(async () => {
    await sim.close();
    await store.close();
  });

  it('getMany answers what get answers, the account lookup and modification stamps included; deleted and unknown ids are left out', async () => {
    const ids = [...contacts, deletedContact, NEVER_CREATED];
    const [one, many] = await Promise.all([readOneByOne(zoho, 'contact', ids), zoho.getMany('contact', ids)]);
    expect(one).toHaveLength(contacts.length);
    expect(byId(many)).toEqual(byId(one));
    expect(many.find((s) => s.ref.id === contacts[0])?.companyId).toBe(accountId);
    expect(await zoho.getMany('company', [accountId])).toEqual(await readOneByOne(zoho, 'company', [accountId]));
  });

  it('gathers concurrent reads into one GET by ids, answers deleted and unknown records null, and reads a lone record with a single GET', async () => {
    const ids = [...contacts, deletedContact, NEVER_CREATED];
    const answers = await Promise.all(ids.map((id) => read('contact', id)));
    expect(answers.map((answer) => answer?.ref.id ?? null)).toEqual([...contacts, null, null]);
    expect(answers[0]?.companyId).toBe(accountId);
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 0, batch: 1 });

    await admin.resetStats();
    expect((await read('company', accountId))?.ref.id).toBe(accountId);
    expect(await routeCounts(admin, ROUTES)).toEqual({ single: 1, batch: 0 });
  });

  /** Zoho's times are whole seconds: an edit is told apart from a version read only in a later second than it. */
  const pastTheSecondOf = (modifiedAt: number) => waitFor(() => Date.now() >= Math.floor(modifiedAt / 1000) * 1000 + 1000, 'the second of the last modification to pass');

  it("refuses a write a person's edit got ahead of after the check (If-Unmodified-Since), alone and in a batch, and writes the rest", async () => {
    const [a = '', b = '', c = ''] = contacts;
    const current = await zoho.getMany('contact', [a, b, c]);
    const planned = new Map(current.map((snapshot) => [snapshot.ref.id, snapshot.fields.jobTitle ?? null]));
    await pastTheSecondOf(Math.max(...current.map((snapshot) => snapshot.modifiedAt)));
    const person = unique('Person');
    const title = unique('Planned');
    // the person edits b, checked, and c, written unchecked: only b's write is conditional
    const raced = racedConnector(zoho, async () => {
      await admin.update('Contacts', b, { Title: person });
      await admin.update('Contacts', c, { Title: person });
    });
    const inputs = [
      { id: a, fields: { jobTitle: title }, links: {}, expected: { jobTitle: planned.get(a) ?? null } },
      { id: b, fields: { jobTitle: title }, links: {}, expected: { jobTitle: planned.get(b) ?? null } },
      { id: c, fields: { jobTitle: title }, links: {} },
    ];
    await admin.resetStats();
    const outcomes = await updateManyChecked(raced, 'contact', inputs);
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]?.ok === false && outcomes[1].error).toBeInstanceOf(StaleReadError);
    // the check, then the conditional and the unconditional write, one request each
    expect(await routeCounts(admin, { read: ROUTES.batch, write: 'PUT /crm/v8/:module' })).toEqual({ read: 1, write: 2 });
    expect(await Promise.all([a, b, c].map(async (id) => (await zoho.get('contact', id))?.fields.jobTitle ?? null))).toEqual([title, person, title]);

    // one record alone, the same
    await pastTheSecondOf((await zoho.get('contact', a))?.modifiedAt ?? NaN);
    const again = unique('Person');
    const alone = racedConnector(zoho, () => admin.update('Contacts', a, { Title: again }));
    await expect(updateChecked(alone, 'contact', { id: a, fields: { jobTitle: unique('Planned') }, links: {}, expected: { jobTitle: title } })).rejects.toBeInstanceOf(StaleReadError);
    expect((await zoho.get('contact', a))?.fields.jobTitle).toBe(again);
  });

  it("takes a write its check refused back from the hub's own writes, so that our earlier write still standing is not taken for a person's edit", async () => {
    const [a = ''] = contacts;
    const ref = { system: 'zoho', object: 'contact' as const, id: a };
    const landed = unique('Landed');
    await zoho.update('contact', a, { jobTitle: landed }, {});
    await store.recordOwnWrites([{ ref, fields: { jobTitle: landed } }]);
    const joined = createJoinedPassActivities(new Map([['zoho', createCrmActivities(zoho)]]), createStoreActivities(store, { rules, systems: [] }));
    const refused = unique('Refused');
    // planned from a read made before our write landed: the check refuses it
    const failure = await new MockActivityEnvironment()
      .run(joined.updateRecordingOwnWrites, [{ ref, fields: { jobTitle: refused } }], 'zoho', 'contact' as const, a, { jobTitle: refused }, {}, { jobTitle: 'read before' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('StaleReadError');
    expect((await zoho.get('contact', a))?.fields.jobTitle).toBe(landed);
    expect(await store.ownWritesOf([ref])).toEqual([{ jobTitle: landed }]);
    // one the check lets through stays recorded
    const sent = unique('Sent');
    await new MockActivityEnvironment().run(joined.updateRecordingOwnWrites, [{ ref, fields: { jobTitle: sent } }], 'zoho', 'contact' as const, a, { jobTitle: sent }, {}, { jobTitle: landed });
    expect(await store.ownWritesOf([ref])).toEqual([{ jobTitle: sent }]);
  });

  casesForBothCrms({
    connector: () => zoho,
    calls: () => calls,
    admin: () => admin,
    contacts: () => contacts,
    deleted: () => deletedContact,
    readRoutes: ROUTES,
    writeRoutes: { single: 'PUT /crm/v8/:module/:id', batch: 'PUT /crm/v8/:module' },
    matchRoutes: { single: 'GET /crm/v8/:module/search', batch: 'POST /crm/v8/coql' },
  });
});
