import { valueBefore } from '../../../src/connectors/hubspot/history-read';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, 0, ms));
const change = (value: string, ms: number) => ({ value, timestamp: at(ms) });
const WRITE = at(500).getTime();

describe("a HubSpot property's value just before our write, from its history", () => {
  test('the entry before our own: what a person typed between the check and the write', () => {
    expect(valueBefore([change('Ours', 500), change('Person', 300), change('Base', 100)], WRITE, 'Ours')).toBe('Person');
  });

  test('edits after the write are not about it, in whatever order the history lists them', () => {
    expect(valueBefore([change('Base', 100), change('Later', 900), change('Ours', 500)], WRITE, 'Ours')).toBe('Base');
  });

  test('a write that changed nothing (a person typed our value first) has no entry: the value found is the one before theirs', () => {
    expect(valueBefore([change('Ours', 300), change('Base', 100)], WRITE, 'Ours')).toBe('Base');
  });

  test('our entry stamped after the record\'s modification time still yields the value before it', () => {
    expect(valueBefore([change('Ours', 501), change('Person', 300)], WRITE, 'Ours')).toBe('Person');
  });

  test('a cleared value is written as empty, and a property never set before has nothing before our write', () => {
    expect(valueBefore([change('', 500), change('Base', 100)], WRITE, null)).toBe('Base');
    expect(valueBefore([change('Ours', 500)], WRITE, 'Ours')).toBeNull();
    expect(valueBefore([], WRITE, 'Ours')).toBeNull();
  });
});
