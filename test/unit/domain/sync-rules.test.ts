import { DEFAULT_SYNC_RULES, parseSyncRules, SyncRulesError } from '../../../src/config/sync-rules';

function errorOf(input: unknown): SyncRulesError {
  try {
    parseSyncRules(input);
  } catch (error) {
    if (error instanceof SyncRulesError) return error;
    throw error;
  }
  throw new Error('expected parseSyncRules to throw');
}

const email = { name: 'email', hubspot: 'email', zoho: 'Email', transform: 'lowercase' };
const name = { name: 'name', hubspot: 'name', zoho: 'Account_Name' };

describe('DEFAULT_SYNC_RULES', () => {
  it('holds the product defaults', () => {
    expect(DEFAULT_SYNC_RULES.master).toBe('zoho');
    expect(DEFAULT_SYNC_RULES.hot).toEqual({ contact: { field: 'Lead_Status', op: 'equals', value: 'Hot' }, company: false });
    expect(DEFAULT_SYNC_RULES.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'unlink' });
    expect(DEFAULT_SYNC_RULES.crossReference).toEqual({ hubspotProperty: 'zoho_record_id', zohoField: 'HubSpot_ID' });
    expect(DEFAULT_SYNC_RULES.phone.defaultCountryCode).toBe('1');
    const pairs = (object: 'contact' | 'company') => DEFAULT_SYNC_RULES.mappings[object].map((m) => `${m.hubspot}=${m.zoho}`);
    expect(pairs('contact')).toEqual([
      'email=Email', 'firstname=First_Name', 'lastname=Last_Name', 'phone=Phone', 'mobilephone=Mobile',
      'jobtitle=Title', 'lifecyclestage=Lead_Status', 'city=Mailing_City', 'country=Mailing_Country',
    ]);
    expect(pairs('company')).toEqual([
      'name=Account_Name', 'domain=Website', 'phone=Phone', 'industry=Industry', 'city=Billing_City', 'country=Billing_Country',
      'numberofemployees=Employees',
    ]);
  });

  it('is plain JSON (it crosses Temporal)', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_SYNC_RULES))).toEqual(DEFAULT_SYNC_RULES);
  });

  it('expands transform shorthands and derives the reverse enum table', () => {
    const status = DEFAULT_SYNC_RULES.mappings.contact.find((m) => m.name === 'leadStatus');
    expect(status?.transform).toMatchObject({ kind: 'enum', unmapped: 'drop', hubspotToZoho: { marketingqualifiedlead: 'Hot', subscriber: 'Cold' } });
    const domain = DEFAULT_SYNC_RULES.mappings.company.find((m) => m.name === 'domain');
    expect(domain?.transform).toEqual({ kind: 'domain', hubspot: 'bare', zoho: 'url' });
    expect(DEFAULT_SYNC_RULES.mappings.contact[1]?.transform).toEqual({ kind: 'trim' });
    expect(DEFAULT_SYNC_RULES.mappings.contact[1]?.direction).toBe('both');
  });
});

describe('parseSyncRules', () => {
  it('fills omitted keys with defaults, field by field', () => {
    const rules = parseSyncRules({ master: 'hubspot', deletes: { hubspot: 'delete-counterpart' }, crossReference: { zohoField: 'HS_Id' } });
    expect(rules.master).toBe('hubspot');
    expect(rules.deletes).toEqual({ zoho: 'archive-counterpart', hubspot: 'delete-counterpart' });
    expect(rules.crossReference).toEqual({ hubspotProperty: 'zoho_record_id', zohoField: 'HS_Id' });
    expect(rules.mappings).toEqual(DEFAULT_SYNC_RULES.mappings);
    expect(parseSyncRules(undefined)).toEqual(DEFAULT_SYNC_RULES);
    expect(parseSyncRules(null)).toEqual(DEFAULT_SYNC_RULES);
  });

  it('replaces a mapping list that is given, keeping the other default', () => {
    const rules = parseSyncRules({ mappings: { contact: [email] } });
    expect(rules.mappings.contact.map((m) => m.name)).toEqual(['email']);
    expect(rules.mappings.company).toEqual(DEFAULT_SYNC_RULES.mappings.company);
  });

  it('accepts null hot rules and a null default country code', () => {
    const rules = parseSyncRules({ hot: { contact: null }, phone: { defaultCountryCode: null } });
    expect(rules.hot.contact).toBeNull();
    expect(rules.phone.defaultCountryCode).toBeNull();
  });

  it('does not share state between results', () => {
    const a = parseSyncRules({});
    a.mappings.contact.pop();
    expect(parseSyncRules({}).mappings.contact).toHaveLength(DEFAULT_SYNC_RULES.mappings.contact.length);
  });

  describe('errors name each bad path and what is expected', () => {
    it('reports every problem at once', () => {
      const error = errorOf({ master: 'salesforce', deletes: { zoho: 'nuke' }, typo: true });
      expect(error.issues.map((i) => i.path)).toEqual(['master', 'deletes.zoho', '(root)']);
      expect(error.message).toContain('master: Invalid option: expected one of "zoho"|"hubspot"');
      expect(error.message).toContain('deletes.zoho: Invalid option: expected one of "archive-counterpart"|"unlink" (what a Zoho delete does');
      expect(error.message).toContain('(root): Unrecognized key: "typo"');
      expect(error.message.startsWith('invalid sync rules:\n  - ')).toBe(true);
    });

    it('explains a bad condition op inside the hot rule', () => {
      const error = errorOf({ hot: { contact: { any: [{ field: 'Lead_Status', op: 'is', value: 'Hot' }] } } });
      expect(error.issues).toEqual([
        { path: 'hot.contact.any.0.op', message: expect.stringContaining('expected one of "equals"|"notEquals"|"in"|"notEmpty"') },
      ]);
    });

    it('requires the operand of each op', () => {
      expect(errorOf({ hot: { contact: { field: 'Lead_Status', op: 'in' } } }).issues[0]?.path).toBe('hot.contact.values');
      expect(errorOf({ hot: { contact: { field: 'Lead_Status', op: 'equals' } } }).issues[0]).toEqual({
        path: 'hot.contact.value',
        message: expect.stringContaining('op "equals" needs a string "value"'),
      });
      expect(errorOf({ hot: { contact: { field: 'Mobile', op: 'notEmpty', value: 'x' } } }).issues[0]?.path).toBe('hot.contact.value');
    });

    it('explains a bad transform, shorthand or object', () => {
      const error = errorOf({ mappings: { contact: [{ ...email, transform: 'uppercase' }] } });
      expect(error.issues[0]).toEqual({ path: 'mappings.contact.0.transform', message: expect.stringContaining('expected one of "trim"|"lowercase"|"phone"|"number"|"domain"') });
      const kind = errorOf({ mappings: { contact: [{ ...email, transform: { kind: 'upper' } }] } });
      expect(kind.issues[0]?.path).toBe('mappings.contact.0.transform.kind');
      const phone = errorOf({ mappings: { contact: [email, { name: 'phone', hubspot: 'phone', zoho: 'Phone', transform: { kind: 'phone', defaultCountryCode: '+44' } }] } });
      expect(phone.issues[0]?.path).toBe('mappings.contact.1.transform.defaultCountryCode');
    });

    it('reports enum tables that would not round-trip', () => {
      const collide = errorOf({ mappings: { contact: [email, { name: 'stage', hubspot: 'lifecyclestage', zoho: 'Lead_Status', transform: { kind: 'enum', zohoToHubspot: { Hot: 'lead', Warm: 'lead' } } }] } });
      expect(collide.issues).toEqual([{ path: 'mappings.contact.1.transform.zohoToHubspot.Warm', message: expect.stringContaining('"Hot" and "Warm" both map to "lead"') }]);
      const disagree = errorOf({
        mappings: {
          contact: [email, { name: 'stage', hubspot: 'lifecyclestage', zoho: 'Lead_Status', transform: { kind: 'enum', zohoToHubspot: { Hot: 'lead' }, hubspotToZoho: { lead: 'Warm' } } }],
        },
      });
      expect(disagree.issues.map((i) => i.path)).toEqual(['mappings.contact.1.transform.hubspotToZoho.lead', 'mappings.contact.1.transform.hubspotToZoho.lead']);
      expect(disagree.message).toContain('must map "lead" back to "Hot"');
      expect(disagree.message).toContain('maps to "Warm", which zohoToHubspot lacks');
    });

    it('reports duplicate names and wire fields, reserved cross-reference fields and missing match keys', () => {
      const error = errorOf({
        mappings: {
          contact: [email, { name: 'email', hubspot: 'email', zoho: 'HubSpot_ID' }],
          company: [{ name: 'domain', hubspot: 'domain', zoho: 'Website', transform: 'domain' }],
        },
      });
      expect(error.issues).toEqual([
        { path: 'mappings.contact.1.name', message: '"email" is already used by mapping 0' },
        { path: 'mappings.contact.1.hubspot', message: '"email" is already used by mapping 0' },
        { path: 'mappings.contact.1.zoho', message: '"HubSpot_ID" is the cross-reference field; the connectors write it' },
        { path: 'mappings.company', message: expect.stringContaining('a mapping named "name" is required') },
      ]);
    });

    it('reports validation rules that cannot apply', () => {
      const error = errorOf({
        mappings: {
          contact: [
            email,
            { name: 'score', hubspot: 'hubspotscore', zoho: 'Score', direction: 'zoho-to-hubspot', validate: { required: ['zoho'] } },
            { name: 'mobile', hubspot: 'mobilephone', zoho: 'Mobile', validate: { requiredIf: [{ when: { field: 'Lead_Status', op: 'equals', value: 'Hot' } }] } },
          ],
          company: [name],
        },
      });
      expect(error.issues).toEqual([
        { path: 'mappings.contact.1.validate.required', message: 'direction "zoho-to-hubspot" never writes to zoho' },
        { path: 'mappings.contact.2.validate.requiredIf.0.when', message: '"Lead_Status" is not a canonical field of contact mappings' },
      ]);
    });

    it('reports type errors deep in a mapping with the field description', () => {
      const error = errorOf({ mappings: { contact: [{ ...email, validate: { maxLength: { zoho: -1 } } }] } });
      expect(error.issues[0]?.path).toBe('mappings.contact.0.validate.maxLength.zoho');
      expect(error.issues[0]?.message).toContain('longest value Zoho accepts');
      expect(errorOf({ mappings: { contact: [{ ...email, name: 'E-mail' }] } }).issues[0]?.message).toContain('camelCase identifier');
      expect(errorOf('not an object').issues[0]?.path).toBe('(root)');
    });
  });
});
