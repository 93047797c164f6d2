import { type FakeCompany, FakeData } from '../common/fake-data';
import type { ZohoData } from './data';
import type { FieldValue, StoredRecord } from './record-types';
import { truncateToSecond } from './time';

export interface SeedRequest {
  contacts: number;
  companies: number;
  seed: number;
  /** every seeded contact's Lead_Status (a list of hot contacts, say); absent: a mix */
  leadStatus?: string;
}

const DAY = 86_400_000;
const LEAD_STATUSES = ['Hot', 'Hot', 'Warm', 'Warm', 'Cold', 'Not Contacted', 'Contacted', 'Attempted to Contact', null] as const;
const ACCOUNT_TYPES = ['Customer', 'Customer', 'Prospect', 'Partner', 'Analyst', 'Other'] as const;
const LEAD_SOURCES = ['Advertisement', 'Cold Call', 'Web Download', 'Partner', 'Trade Show', null] as const;

function titleCase(code: string): string {
  return code.toLowerCase().split('_').map((w) => (w === 'and' ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ');
}

/**
 * Deterministic Accounts and Contacts (about 80% of contacts linked to a seeded account through the
 * Account_Name lookup; Lead_Status mixes Hot/Warm/Cold/...). Records go straight into the stores (already
 * searchable) and fire no notifications. Created_Time follows id order, as it does for real inserts.
 */
export function seed(data: ZohoData, request: SeedRequest, seedEpoch: string): { contacts: number; companies: number } {
  const fake = new FakeData(request.seed);
  const existing = [...data.store('Contacts').all(), ...data.store('Accounts').all()];
  const latest = existing.reduce((max, r) => Math.max(max, r.createdMs), 0);
  // History ends a day ago on a fresh org; later seeds follow the records already there but never pass now: a record
  // modified "in the future" would be skipped by a backfill, which stops at its own start time.
  const now = truncateToSecond(Date.now());
  const after = Math.max(Date.parse(seedEpoch), latest + 1000);
  const end = Math.min(now, Math.max(after + DAY, Math.min(now - DAY, after + 365 * DAY)));
  const start = Math.min(after, end);
  const total = request.companies + request.contacts;
  const created = Array.from({ length: total }, () => truncateToSecond(fake.between(start, end))).sort((a, b) => a - b);
  let next = 0;
  const stamp = (): { createdMs: number; modifiedMs: number } => {
    const createdMs = created[next] ?? start;
    next += 1;
    const modifiedMs = fake.chance(0.4) ? createdMs : truncateToSecond(fake.between(createdMs, end));
    return { createdMs, modifiedMs };
  };
  const users = [data.apiUser.id, data.uiUser.id];
  const make = (module: StoredRecord['module'], values: Record<string, FieldValue>): StoredRecord => {
    const owner = fake.pick(users);
    return { id: data.ids.take(), module, values: { ...values, Owner: owner }, ...stamp(), createdBy: data.uiUser.id, modifiedBy: fake.pick(users) };
  };

  const accounts: StoredRecord[] = [];
  const fakeCompanies: FakeCompany[] = [];
  for (let i = 0; i < request.companies; i += 1) {
    const c = fake.company();
    fakeCompanies.push(c);
    accounts.push(
      make('Accounts', {
        Account_Name: c.name,
        Website: c.website,
        Phone: c.phone,
        Industry: titleCase(c.industry),
        Account_Type: fake.pick(ACCOUNT_TYPES),
        Employees: c.employees,
        Annual_Revenue: c.annualRevenue,
        Billing_Street: c.street,
        Billing_City: c.city,
        Billing_State: c.state,
        Billing_Code: c.zip,
        Billing_Country: c.country,
      }),
    );
  }
  const companies = accounts.map((a, i) => ({ id: a.id, index: i }));
  const contacts: StoredRecord[] = [];
  const contactStore = data.store('Contacts');
  const seenEmails = new Set<string>();
  for (let i = 0; i < request.contacts; i += 1) {
    const employer = companies.length > 0 && fake.chance(0.8) ? fake.pick(companies) : undefined;
    const person = fake.person(employer ? fakeCompanies[employer.index] : undefined);
    let email = person.email.toLowerCase();
    // Appending a second seed must not create exact duplicates (they would trip Email if it is made unique).
    for (let n = 2; seenEmails.has(email) || contactStore.findBy('Email', email).length > 0; n += 1) email = person.email.toLowerCase().replace('@', `.${n}@`);
    seenEmails.add(email);
    // picked either way, so that the seed's other values do not depend on leadStatus
    const mixedStatus = fake.pick(LEAD_STATUSES);
    contacts.push(
      make('Contacts', {
        First_Name: person.firstName,
        Last_Name: person.lastName,
        Email: email,
        Phone: person.phone,
        Mobile: person.mobilePhone,
        Title: person.jobTitle,
        Account_Name: employer?.id ?? null,
        Lead_Status: request.leadStatus ?? mixedStatus,
        Lead_Source: fake.pick(LEAD_SOURCES),
        Mailing_Street: person.street,
        Mailing_City: person.city,
        Mailing_State: person.state,
        Mailing_Zip: person.zip,
        Mailing_Country: person.country,
      }),
    );
  }
  data.store('Accounts').bulkLoad(accounts);
  contactStore.bulkLoad(contacts);
  return { contacts: contacts.length, companies: accounts.length };
}
