import { replacedBy, valueBefore } from '../../../src/connectors/hubspot/history-read';

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

describe('what our unsaved write replaced, from a property\'s history', () => {
  const SYNCED = at(100).getTime();

  test('the entry before ours, with its time, whatever order the history lists them in', () => {
    expect(replacedBy([change('Base', 50), change('Ours', 500), change('Person', 300)], SYNCED, 'Ours')).toEqual(change('Person', 300));
  });

  test('nothing when the newest change is not our value: a person changed it after us, and the read says so', () => {
    expect(replacedBy([change('Ours', 500), change('Later', 900)], SYNCED, 'Ours')).toBeNull();
  });

  test('nothing when the newest entry with our value is older than the last sync: a person typed it, our write changed nothing', () => {
    expect(replacedBy([change('Ours', 80), change('Before', 60)], SYNCED, 'Ours')).toBeNull();
  });

  test('a cleared value is ours as empty; a property never set before has nothing replaced', () => {
    expect(replacedBy([change('', 500), change('Person', 300)], SYNCED, null)).toEqual(change('Person', 300));
    expect(replacedBy([change('Ours', 500)], SYNCED, 'Ours')).toBeNull();
  });
});
