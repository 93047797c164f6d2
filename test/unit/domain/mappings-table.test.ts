import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/config/sync-rules';
import { mappingsTable } from '../../../src/domain';
import { printMappings } from '../../../src/cli/mappings-table';

const HEADER = '| canonical | HubSpot property | Zoho field | direction | transform | validation |';

describe('mappingsTable', () => {
  const table = mappingsTable(DEFAULT_SYNC_RULES);
  const lines = table.split('\n');

  it('has one section per object with a header and one row per mapping', () => {
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## Contacts (HubSpot contacts ↔ Zoho Contacts)', '## Companies (HubSpot companies ↔ Zoho Accounts)']);
    expect(lines.filter((l) => l === HEADER)).toHaveLength(2);
    const rows = lines.filter((l) => l.startsWith('| ') && l !== HEADER);
    expect(rows).toHaveLength(DEFAULT_SYNC_RULES.mappings.contact.length + DEFAULT_SYNC_RULES.mappings.company.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
  });

  it('describes each column', () => {
    expect(lines).toContain('| email | email | Email | both | lowercase | email format; max length zoho ≤ 100 |');
    expect(lines).toContain('| lastName | lastname | Last_Name | both | trim | required in zoho; max length zoho ≤ 80 |');
    expect(lines).toContain('| domain | domain | Website | both | domain (HubSpot bare, Zoho url) | domain format; max length zoho ≤ 255 |');
    const status = lines.find((l) => l.startsWith('| leadStatus '));
    expect(status).toContain('| lifecyclestage | Lead_Status | both | enum (Cold→subscriber, Warm→lead, Hot→marketingqualifiedlead,');
    expect(status).toContain('unmapped: drop) | — |');
    expect(lines).toContain('| employees | numberofemployees | Employees | both | number | integer format |');
    const industry = lines.find((l) => l.startsWith('| industry '));
    expect(industry).toContain('| Zoho → HubSpot |');
    expect(industry).toContain('Computer Software→COMPUTER_SOFTWARE');
    expect(industry).toContain('also read: INTERNET⇢Information Technology and Services, BANKING⇢Financial Services');
    expect(industry).toContain('unmapped: drop');
  });

  it('states the hot rule, master, cross-reference and delete policy', () => {
    expect(table).toContain('Created in HubSpot: when Lead_Status equals "Hot".');
    expect(table).toContain('Created in HubSpot: only when a hot contact needs it.');
    expect(table).toContain('Master: zoho. Counterpart ids: HubSpot `zoho_record_id`, Zoho `HubSpot_ID`. Deletes: Zoho → archive-counterpart, HubSpot → unlink.');
  });

  it('shows configured options and escapes pipes', () => {
    const rules = parseSyncRules({
      mappings: {
        contact: [
          { name: 'email', hubspot: 'email', zoho: 'Email', transform: 'lowercase' },
          {
            name: 'mobile',
            hubspot: 'mobilephone',
            zoho: 'Mobile',
            direction: 'hubspot-to-zoho',
            transform: { kind: 'phone', defaultCountryCode: '44' },
            validate: { requiredIf: [{ when: { field: 'tier', op: 'in', values: ['A|B'] }, in: ['zoho'] }] },
          },
          { name: 'tier', hubspot: 'tier', zoho: 'Tier' },
        ],
      },
    });
    expect(mappingsTable(rules)).toContain('| mobile | mobilephone | Mobile | HubSpot → Zoho | phone (default +44) | required in zoho when tier in ("A\\|B") |');
  });
});

describe('printMappings', () => {
  it('writes the table to stdout', () => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      printMappings(DEFAULT_SYNC_RULES);
    } finally {
      spy.mockRestore();
    }
    expect(chunks.join('')).toBe(mappingsTable(DEFAULT_SYNC_RULES));
  });
});
