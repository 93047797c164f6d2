import { DEFAULT_SYNC_RULES, parseSyncRules, systemsNamedIn } from '../../../src/domain/schema/sync-rules';
import { rulesErrorOf } from './rules-error';


const email = { name: 'email', systems: { hubspot: 'email', zoho: 'Email' }, transform: 'lowercase' };
const name = { name: 'name', systems: { hubspot: 'name', zoho: 'Account_Name' } };

describe('DEFAULT_SYNC_RULES', () => {
  it('holds the product defaults', () => {
    expect(DEFAULT_SYNC_RULES.priority).toEqual(['zoho', 'hubspot', 'shop']);
    expect(DEFAULT_SYNC_RULES.holds).toEqual({
      hubspot: { contact: { field: 'leadStatus', op: 'equals', value: 'Hot' }, company: false },
      shop: { contact: { field: 'leadStatus', op: 'equals', value: 'Customer' }, company: { field: 'lifecycleStage', op: 'equals', value: 'customer' }, deal: false },
    });
    expect(DEFAULT_SYNC_RULES.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'unlink', shop: 'unlink' });
    expect(DEFAULT_SYNC_RULES.crossReference).toEqual({
      hubspot: { zoho: 'zoho_record_id', shop: { contact: 'shop_user_id', company: 'shop_business_id', deal: 'shop_purchase_id' } },
      zoho: { hubspot: 'HubSpot_ID' },
      shop: { hubspot: { contact: 'hubspot', company: 'hubspot' }, zoho: { contact: 'zoho', company: 'zoho' } },
    });
    expect(DEFAULT_SYNC_RULES.phone.defaultCountryCode).toBe('1');
    const pairs = (object: 'contact' | 'company') => DEFAULT_SYNC_RULES.mappings[object].map((m) => `${m.systems.hubspot?.field}=${m.systems.zoho?.field}`);
    expect(pairs('contact')).toEqual([
      'email=Email', 'firstname=First_Name', 'lastname=Last_Name', 'phone=Phone', 'mobilephone=Mobile',
      'jobtitle=Title', 'lifecyclestage=Lead_Status', 'city=Mailing_City', 'country=Mailing_Country',
    ]);
    expect(pairs('company')).toEqual([
      'name=Account_Name', 'domain=Website', 'phone=Phone', 'industry=Industry', 'city=Billing_City', 'country=Billing_Country',
      'numberofemployees=Employees', 'lifecyclestage=undefined',
    ]);
    const shop = (object: 'contact' | 'company' | 'deal') => DEFAULT_SYNC_RULES.mappings[object].flatMap((m) => (m.systems.shop ? [`${m.name}=${m.systems.shop.field}`] : []));
    expect(shop('contact')).toEqual(['email=email', 'firstName=first_name', 'lastName=last_name']);
    expect(shop('company')).toEqual(['name=name', 'domain=domain']);
    expect(shop('deal')).toEqual(['name=name', 'amount=amount', 'currency=currency', 'stage=status', 'closeDate=created_at']);
    // purchases become deals and are never written back to the shop
    expect(DEFAULT_SYNC_RULES.mappings.deal.map((m) => [m.systems.hubspot?.direction, m.systems.shop?.direction])).toEqual(Array(5).fill(['to', 'from']));
    expect(systemsNamedIn(DEFAULT_SYNC_RULES).sort()).toEqual(['hubspot', 'shop', 'zoho']);
  });

  it('is plain JSON (it crosses Temporal)', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_SYNC_RULES))).toEqual(DEFAULT_SYNC_RULES);
  });

  it('expands transform and column shorthands and derives the reverse enum table', () => {
    const status = DEFAULT_SYNC_RULES.mappings.contact.find((m) => m.name === 'leadStatus');
    expect(status?.transform).toMatchObject({ kind: 'enum', unmapped: 'drop', tables: { hubspot: { fromWire: { marketingqualifiedlead: 'Hot', subscriber: 'Cold' } } } });
    const domain = DEFAULT_SYNC_RULES.mappings.company.find((m) => m.name === 'domain');
    expect(domain?.transform).toEqual({ kind: 'domain', forms: { hubspot: 'bare', zoho: 'url', shop: 'bare' } });
    expect(DEFAULT_SYNC_RULES.mappings.contact[1]?.transform).toEqual({ kind: 'trim' });
    expect(DEFAULT_SYNC_RULES.mappings.contact[1]?.systems.hubspot).toEqual({ field: 'firstname', direction: 'both', required: false });
  });
});

describe('parseSyncRules', () => {
  it('fills omitted keys with defaults, and deletes system by system', () => {
    const rules = parseSyncRules({ priority: ['hubspot', 'zoho'], deletes: { hubspot: 'delete-counterpart' }, crossReference: { zoho: { hubspot: 'HS_Id' } } });
    expect(rules.priority).toEqual(['hubspot', 'zoho']);
    expect(rules.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'delete-counterpart', shop: 'unlink' });
    expect(rules.crossReference).toEqual({ zoho: { hubspot: 'HS_Id' } });
    expect(rules.mappings).toEqual(DEFAULT_SYNC_RULES.mappings);
    expect(parseSyncRules(undefined)).toEqual(DEFAULT_SYNC_RULES);
    expect(parseSyncRules(null)).toEqual(DEFAULT_SYNC_RULES);
  });

  it('replaces a mapping list that is given, keeping the other default', () => {
    const rules = parseSyncRules({ holds: {}, mappings: { contact: [email] } });
    expect(rules.mappings.contact.map((m) => m.name)).toEqual(['email']);
    expect(rules.mappings.company).toEqual(DEFAULT_SYNC_RULES.mappings.company);
    // the default holds rule tests leadStatus, so a list without it needs its own
    expect(rulesErrorOf({ mappings: { contact: [email] } }).issues).toEqual([
      { path: 'holds.hubspot.contact', message: expect.stringContaining('"leadStatus" is not a canonical field of contact mappings') },
    ]);
  });

  it('accepts boolean holds rules and a null default country code', () => {
    const rules = parseSyncRules({ holds: { hubspot: { contact: true } }, phone: { defaultCountryCode: null } });
    expect(rules.holds).toEqual({ hubspot: { contact: true } });
    expect(rules.phone.defaultCountryCode).toBeNull();
  });

  it('does not share state between results', () => {
    const a = parseSyncRules({});
    a.mappings.contact.pop();
    expect(parseSyncRules({}).mappings.contact).toHaveLength(DEFAULT_SYNC_RULES.mappings.contact.length);
  });

  it('accepts any number of systems, named by the rules', () => {
    const rules = parseSyncRules({
      priority: ['zoho', 'ledger', 'hubspot'],
      mappings: { contact: [{ ...email, systems: { ...email.systems, ledger: { field: 'mail', direction: 'from' } } }, { name: 'leadStatus', systems: { zoho: 'Lead_Status' } }] },
    });
    expect(rules.mappings.contact[0]?.systems.ledger).toEqual({ field: 'mail', direction: 'from', required: false });
    expect(systemsNamedIn(rules).sort()).toEqual(['hubspot', 'ledger', 'shop', 'zoho']);
  });

  describe('errors name each bad path and what is expected', () => {
    it('reports every problem at once', () => {
      const error = rulesErrorOf({ priority: [], deletes: { zoho: 'nuke' }, typo: true });
      expect(error.issues.map((i) => i.path)).toEqual(['priority', 'deletes.zoho', '(root)']);
      expect(error.message).toContain('priority: Too small');
      expect(error.message).toContain('deletes.zoho: Invalid option: expected one of "unlink"|"archive-counterpart"|"delete-counterpart" (what deleting a record in this system does');
      expect(error.message).toContain('(root): Unrecognized key: "typo"');
      expect(error.message.startsWith('invalid sync rules:\n  - ')).toBe(true);
    });

    it('explains a bad condition op inside a holds rule', () => {
      const error = rulesErrorOf({ holds: { hubspot: { contact: { any: [{ field: 'leadStatus', op: 'is', value: 'Hot' }] } } } });
      expect(error.issues).toEqual([
        { path: 'holds.hubspot.contact.any.0.op', message: expect.stringContaining('expected one of "equals"|"notEquals"|"in"|"notEmpty"') },
      ]);
    });

    it('requires the operand of each op', () => {
      expect(rulesErrorOf({ holds: { hubspot: { contact: { field: 'leadStatus', op: 'in' } } } }).issues[0]?.path).toBe('holds.hubspot.contact.values');
      expect(rulesErrorOf({ holds: { hubspot: { contact: { field: 'leadStatus', op: 'equals' } } } }).issues[0]).toEqual({
        path: 'holds.hubspot.contact.value',
        message: expect.stringContaining('op "equals" needs a string "value"'),
      });
      expect(rulesErrorOf({ holds: { hubspot: { contact: { field: 'mobile', op: 'notEmpty', value: 'x' } } } }).issues[0]?.path).toBe('holds.hubspot.contact.value');
    });

    it('reports holds rules on fields no mapping has', () => {
      expect(rulesErrorOf({ holds: { hubspot: { contact: { field: 'Lead_Status', op: 'equals', value: 'Hot' } } } }).issues).toEqual([
        { path: 'holds.hubspot.contact', message: expect.stringContaining('"Lead_Status" is not a canonical field of contact mappings') },
      ]);
    });

    it('explains a bad transform, shorthand or object', () => {
      const error = rulesErrorOf({ mappings: { contact: [{ ...email, transform: 'uppercase' }] } });
      expect(error.issues[0]).toEqual({ path: 'mappings.contact.0.transform', message: expect.stringContaining('expected one of "trim"|"lowercase"|"phone"|"number"|"domain"') });
      const kind = rulesErrorOf({ mappings: { contact: [{ ...email, transform: { kind: 'upper' } }] } });
      expect(kind.issues[0]?.path).toBe('mappings.contact.0.transform.kind');
      const phone = rulesErrorOf({ mappings: { contact: [email, { name: 'phone', systems: { hubspot: 'phone', zoho: 'Phone' }, transform: { kind: 'phone', defaultCountryCode: '+44' } }] } });
      expect(phone.issues[0]?.path).toBe('mappings.contact.1.transform.defaultCountryCode');
    });

    it('reports enum tables that would not round-trip', () => {
      const stage = (transform: unknown) => ({ name: 'stage', systems: { hubspot: 'lifecyclestage', zoho: 'Lead_Status' }, transform });
      const collide = rulesErrorOf({ holds: {}, mappings: { contact: [email, stage({ kind: 'enum', tables: { hubspot: { toWire: { Hot: 'lead', Warm: 'lead' } } } })] } });
      expect(collide.issues).toEqual([{ path: 'mappings.contact.1.transform.tables.hubspot.toWire.Warm', message: expect.stringContaining('"Hot" and "Warm" both map to "lead"') }]);
      const disagree = rulesErrorOf({ holds: {}, mappings: { contact: [email, stage({ kind: 'enum', tables: { hubspot: { toWire: { Hot: 'lead' }, fromWire: { lead: 'Warm' } } } })] } });
      expect(disagree.issues.map((i) => i.path)).toEqual(['mappings.contact.1.transform.tables.hubspot.fromWire.lead', 'mappings.contact.1.transform.tables.hubspot.fromWire.lead']);
      expect(disagree.message).toContain('must map "lead" back to "Hot"');
      expect(disagree.message).toContain('maps to "Warm", which toWire lacks');
    });

    it('reports duplicate names and wire fields, reserved cross-reference fields and missing match keys', () => {
      const error = rulesErrorOf({
        holds: {},
        mappings: {
          contact: [email, { name: 'email', systems: { hubspot: 'email', zoho: 'HubSpot_ID' } }],
          company: [{ name: 'domain', systems: { hubspot: 'domain', zoho: 'Website' }, transform: 'domain' }],
        },
      });
      expect(error.issues).toEqual([
        { path: 'mappings.contact.1.name', message: '"email" is already used by mapping 0' },
        { path: 'mappings.contact.1.systems.hubspot.field', message: '"email" is already used by mapping 0' },
        { path: 'mappings.contact.1.systems.zoho.field', message: '"HubSpot_ID" is a cross-reference field; the connectors write it' },
        { path: 'mappings.company', message: expect.stringContaining('a mapping named "name" is required') },
      ]);
    });

    it('reports validation rules that cannot apply', () => {
      const error = rulesErrorOf({
        holds: {},
        mappings: {
          contact: [
            email,
            { name: 'score', systems: { hubspot: { field: 'hubspotscore', direction: 'to' }, zoho: { field: 'Score', direction: 'from', required: true } } },
            { name: 'mobile', systems: { hubspot: 'mobilephone', zoho: 'Mobile' }, validate: { requiredIf: [{ when: { field: 'Lead_Status', op: 'equals', value: 'Hot' } }] } },
          ],
          company: [name],
        },
      });
      expect(error.issues).toEqual([
        { path: 'mappings.contact.1.systems.zoho.required', message: 'direction "from" never writes to zoho' },
        { path: 'mappings.contact.2.validate.requiredIf.0.when', message: '"Lead_Status" is not a canonical field of contact mappings' },
      ]);
    });

    it('reports type errors deep in a mapping with the field description', () => {
      const error = rulesErrorOf({ mappings: { contact: [{ ...email, systems: { hubspot: 'email', zoho: { field: 'Email', maxLength: -1 } } }] } });
      expect(error.issues[0]?.path).toBe('mappings.contact.0.systems.zoho.maxLength');
      expect(error.issues[0]?.message).toContain('longest value this system accepts');
      expect(rulesErrorOf({ mappings: { contact: [{ ...email, name: 'E-mail' }] } }).issues[0]?.message).toContain('camelCase identifier');
      expect(rulesErrorOf('not an object').issues[0]?.path).toBe('(root)');
    });
  });
});
