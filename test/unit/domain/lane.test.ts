import { laneOf } from '../../../src/domain/lane';

describe('laneOf: which queues a pass sends its commands on', () => {
  test('load only when every event that started the pass came from an initial load', () => {
    expect(laneOf([{ lane: 'load' }, { lane: 'load' }])).toBe('load');
  });

  test('a person\'s change among them (no lane: live, as every event before lanes) makes the whole pass live', () => {
    expect(laneOf([{ lane: 'load' }, {}])).toBe('live');
    expect(laneOf([{ lane: 'load' }, { lane: 'live' }])).toBe('live');
    expect(laneOf([{}])).toBe('live');
  });

  test('no events at all (a retry) is live', () => {
    expect(laneOf([])).toBe('live');
  });
});
