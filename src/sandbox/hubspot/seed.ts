import { FakeData, type FakeCompany } from '../common/fake-data';
import type { SimContext } from './context';

export interface SeedRequest {
  contacts: number;
  companies: number;
  seed: number;
}

const DAY = 86_400_000;
/** Seeded history ends here (or now, if the clock is earlier), so seeding is reproducible and always in the past. */
const ANCHOR = Date.UTC(2026, 0, 1);

/**
 * Deterministic companies and contacts (most employed at a seeded company, with a primary association).
 * Writes are tagged SEED, which the webhook factory ignores.
 */
export function seed(ctx: SimContext, request: SeedRequest): { contacts: number; companies: number } {
  const fake = new FakeData(request.seed);
  const end = Math.min(ANCHOR, Date.now() - DAY);
  const start = end - 730 * DAY;
  const companies: Array<{ id: string; company: FakeCompany }> = [];
  for (let i = 0; i < request.companies; i += 1) {
    const company = fake.company();
    const record = ctx.stores.companies.create(
      {
        name: company.name,
        domain: company.domain,
        website: company.website,
        phone: company.phone,
        address: company.street,
        city: company.city,
        state: company.state,
        zip: company.zip,
        country: company.country,
        industry: company.industry,
        numberofemployees: String(company.employees),
        annualrevenue: String(company.annualRevenue),
        lifecyclestage: fake.pick(['lead', 'opportunity', 'customer', 'customer']),
      },
      'SEED',
      fake.between(start, end),
    );
    companies.push({ id: record.id, company });
  }
  let contacts = 0;
  for (let i = 0; i < request.contacts; i += 1) {
    const employer = companies.length > 0 && fake.chance(0.8) ? fake.pick(companies) : undefined;
    const person = fake.person(employer?.company);
    let email = person.email;
    // Seeding twice with the same seed must not trip the unique email rule.
    for (let n = 2; ctx.stores.contacts.findUnique('email', email); n += 1) email = person.email.replace('@', `.${n}@`);
    const record = ctx.stores.contacts.create(
      {
        email: email.toLowerCase(),
        firstname: person.firstName,
        lastname: person.lastName,
        phone: person.phone,
        mobilephone: person.mobilePhone,
        jobtitle: person.jobTitle,
        company: employer?.company.name ?? null,
        address: person.street,
        city: person.city,
        state: person.state,
        zip: person.zip,
        country: person.country,
        lifecyclestage: fake.pick(['subscriber', 'lead', 'lead', 'marketingqualifiedlead', 'customer']),
      },
      'SEED',
      fake.between(start, end),
    );
    // 1: contact → primary company (the unlabeled type comes with it).
    if (employer) ctx.associations.add('contacts', record.id, 'companies', employer.id, [1], 'SEED');
    contacts += 1;
  }
  return { contacts, companies: companies.length };
}
