import { judge, lostFieldCount, Oracle, type CrmSnapshot, type SeenRecord } from '../../chaos/support/oracle';
import { parseOptions } from '../../chaos/support/options';

const seen = (id: string, email: string, fields: SeenRecord['fields']): SeenRecord => ({ id, email, fields });

/** A contact created in HubSpot (both CRMs must hold it), then edited once in each CRM. */
function edited(): Oracle {
  const oracle = new Oracle();
  oracle.created('Ann@chaos.example', ['hubspot', 'zoho'], { firstName: 'Ann', jobTitle: 'seeded' });
  oracle.edited('ann@chaos.example', 'jobTitle', 'title 1');
  oracle.edited('ann@chaos.example', 'jobTitle', 'title 2');
  oracle.edited('ann@chaos.example', 'firstName', 'Anna');
  return oracle;
}

const converged = (): CrmSnapshot => ({
  hubspot: [seen('1', 'ann@chaos.example', { firstName: 'Anna', jobTitle: 'title 2' })],
  zoho: [seen('z1', 'ANN@chaos.example', { firstName: 'Anna', jobTitle: 'title 2' })],
});

describe('the chaos oracle', () => {
  test('every system holding the last edit of every field is clean', () => {
    expect(judge(edited().expectations(), converged())).toEqual({ lostUpdates: [], duplicates: [], missing: [] });
  });

  test('a field holding an older edit is a lost update, counted once per field whichever systems are wrong', () => {
    const snapshot = converged();
    snapshot.hubspot[0] = seen('1', 'ann@chaos.example', { firstName: 'Anna', jobTitle: 'title 1' });
    snapshot.zoho[0] = seen('z1', 'ann@chaos.example', { firstName: 'Anna', jobTitle: 'title 1' });
    const verdict = judge(edited().expectations(), snapshot);
    expect(verdict.lostUpdates).toEqual([
      { email: 'ann@chaos.example', field: 'jobTitle', system: 'hubspot', recordId: '1', expected: 'title 2', actual: 'title 1' },
      { email: 'ann@chaos.example', field: 'jobTitle', system: 'zoho', recordId: 'z1', expected: 'title 2', actual: 'title 1' },
    ]);
    expect(lostFieldCount(verdict)).toBe(1);
  });

  test('two records with one e-mail in a system are a duplicate, not a lost update', () => {
    const snapshot = converged();
    snapshot.zoho.push(seen('z2', 'ann@chaos.example', { firstName: 'Ann', jobTitle: 'seeded' }));
    const verdict = judge(edited().expectations(), snapshot);
    expect(verdict.duplicates).toEqual([{ system: 'zoho', email: 'ann@chaos.example', ids: ['z1', 'z2'] }]);
    expect(verdict.lostUpdates).toEqual([]);
  });

  test('a record absent from a system that must hold it is missing; records the suite never made are ignored', () => {
    const snapshot: CrmSnapshot = {
      hubspot: [seen('1', 'ann@chaos.example', { firstName: 'Anna', jobTitle: 'title 2' }), seen('2', 'other@example.com', {}), seen('3', 'other@example.com', {})],
      zoho: [],
    };
    const verdict = judge(edited().expectations(), snapshot);
    expect(verdict).toEqual({ lostUpdates: [], duplicates: [], missing: [{ system: 'zoho', email: 'ann@chaos.example' }] });
  });

  test('an edit of a record the suite never created is a bug of the suite', () => {
    expect(() => new Oracle().edited('nobody@chaos.example', 'city', 'x')).toThrow(/never created/);
  });

  test('options: scenarios and numeric flags are checked', () => {
    const options = parseOptions(['worker-kill', '--seconds=30', '--pool=10'], ['worker-kill', 'api-kill'], ['split']);
    expect(options).toMatchObject({ scenarios: ['worker-kill'], loadSeconds: 30, poolSize: 10, topology: 'split' });
    expect(parseOptions([], ['worker-kill', 'api-kill'], ['split']).scenarios).toEqual(['worker-kill', 'api-kill']);
    expect(() => parseOptions(['--seconds=0'], ['worker-kill'], ['split'])).toThrow(/positive/);
    expect(() => parseOptions(['nope'], ['worker-kill'], ['split'])).toThrow(/unknown scenario/);
    expect(() => parseOptions(['--topology=cloud'], ['worker-kill'], ['split'])).toThrow(/unknown topology/);
  });
});
