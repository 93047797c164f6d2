import { DEFAULT_SYNC_RULES, parseSyncRules } from '../../../src/domain/schema/sync-rules';
import { mappingsTable } from '../../../src/domain';
import { printMappings } from '../../../src/cli/mappings-table';

const HEADER = '| canonical | zoho | hubspot | shop | transform | validation |';

describe('mappingsTable', () => {
  const table = mappingsTable(DEFAULT_SYNC_RULES);
  const lines = table.split('\n');

  it('has one section per object with a header, a column per system in priority order, and one row per mapping', () => {
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## Contacts', '## Companies', '## Deals']);
    expect(lines.filter((l) => l === HEADER)).toHaveLength(3);
    const rows = lines.filter((l) => l.startsWith('| ') && l !== HEADER);
    const { contact, company, deal } = DEFAULT_SYNC_RULES.mappings;
    expect(rows).toHaveLength(contact.length + company.length + deal.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(mappingsTable(DEFAULT_SYNC_RULES, ['hubspot', 'zoho'])).toContain('| canonical | hubspot | zoho | transform | validation |');
  });

  it('describes each column', () => {
    expect(lines).toContain('| email | Email | email | email | lowercase | email format; max length zoho ≤ 100 |');
    expect(lines).toContain('| lastName | Last_Name | lastname | last_name | trim | required in zoho; max length zoho ≤ 80 |');
    expect(lines).toContain('| domain | Website | domain | domain | domain (zoho url, hubspot bare, shop bare) | domain format; max length zoho ≤ 255 |');
    const status = lines.find((l) => l.startsWith('| leadStatus '));
    expect(status).toContain('| Lead_Status | lifecyclestage | — | enum (hubspot: Cold→subscriber, Warm→lead, Hot→marketingqualifiedlead,');
    expect(status).toContain('unmapped: drop) | — |');
    expect(lines).toContain('| employees | Employees | numberofemployees | — | number | integer format |');
    expect(lines).toContain('| amount | — | amount (to) | amount (from) | trim | number format |');
    const stage = lines.find((l) => l.startsWith('| stage '));
    expect(stage).toContain('| — | dealstage (to) | status (from) | enum (shop: contractsent→pending, closedwon→fulfilled, closedlost→refunded; also read from shop: paid⇢closedwon, cancelled⇢closedlost');
    const industry = lines.find((l) => l.startsWith('| industry '));
    expect(industry).toContain('| Industry (from) | industry (to) | — |');
    expect(industry).toContain('Computer Software→COMPUTER_SOFTWARE');
    expect(industry).toContain('also read from hubspot: INTERNET⇢Information Technology and Services, BANKING⇢Financial Services');
    expect(industry).toContain('unmapped: drop');
  });

  it('states the holds rules, priority, cross-references and delete policy', () => {
    expect(table).toContain('Held by: zoho always; hubspot when leadStatus equals "Hot"; shop when leadStatus equals "Customer".');
    expect(table).toContain('Held by: zoho always; hubspot only when a record it holds needs it; shop when lifecycleStage equals "customer".');
    // Zoho has no deal column, so it is not listed as holding deals
    expect(table).toContain('Held by: hubspot always; shop only when a record it holds needs it.');
    expect(table).toContain('Priority: zoho, hubspot, shop.');
    expect(table).toContain(
      'Cross-references: zoho `HubSpot_ID` holds the hubspot id; hubspot `zoho_record_id` holds the zoho id; hubspot `shop_user_id` holds the shop contact id; ' +
        'hubspot `shop_business_id` holds the shop company id; hubspot `shop_purchase_id` holds the shop deal id; shop `hubspot` holds the hubspot contact id; shop `hubspot` holds the hubspot company id; shop `zoho` holds the zoho contact id; shop `zoho` holds the zoho company id.',
    );
    expect(table).toContain('Deletes: zoho → archive-counterpart, hubspot → unlink, shop → unlink.');
  });

  it('shows configured options, systems without a column, and escapes pipes', () => {
    const rules = parseSyncRules({
      priority: ['zoho', 'hubspot', 'ledger'],
      holds: { ledger: { contact: false } },
      mappings: {
        contact: [
          { name: 'email', systems: { hubspot: 'email', zoho: 'Email', ledger: 'mail' }, transform: 'lowercase' },
          {
            name: 'mobile',
            systems: { hubspot: { field: 'mobilephone', direction: 'from' }, zoho: { field: 'Mobile', direction: 'to' } },
            transform: { kind: 'phone', defaultCountryCode: '44' },
            validate: { requiredIf: [{ when: { field: 'tier', op: 'in', values: ['A|B'] }, in: ['zoho'] }] },
          },
          { name: 'tier', systems: { hubspot: 'tier', zoho: 'Tier' } },
        ],
      },
    });
    const text = mappingsTable(rules);
    // the shop is named by the default company and deal mappings this file keeps; systems the priority omits come last
    expect(text).toContain('| canonical | zoho | hubspot | ledger | shop | transform | validation |');
    expect(text).toContain('| mobile | Mobile (to) | mobilephone (from) | — | — | phone (default +44) | required in zoho when tier in ("A\\|B") |');
    expect(text).toContain('Held by: zoho always; hubspot always; ledger only when a record it holds needs it.');
    expect(text).toContain('Deletes: zoho → archive-counterpart, hubspot → unlink, ledger → unlink, shop → unlink.');
  });
});

describe('printMappings', () => {
  it('writes the table to stdout, with the systems it is given', () => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      printMappings(DEFAULT_SYNC_RULES);
      printMappings(DEFAULT_SYNC_RULES, ['hubspot', 'zoho']);
    } finally {
      spy.mockRestore();
    }
    expect(chunks).toEqual([mappingsTable(DEFAULT_SYNC_RULES), mappingsTable(DEFAULT_SYNC_RULES, ['hubspot', 'zoho'])]);
  });
});
