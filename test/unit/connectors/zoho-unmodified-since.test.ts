import { unmodifiedSinceHeader } from '../../../src/connectors/zoho/snapshot';

const version = (time: string) => ({ version: time, modifiedAt: Date.parse(time) });

describe("a Zoho update request's If-Unmodified-Since, from the versions its check read", () => {
  test("names the newest version, in Zoho's own form: every record was modified no later than that when it was read", () => {
    const versions = [version('2026-12-07T10:00:05+05:30'), version('2026-12-07T04:40:07+00:00'), version('2026-12-07T10:00:06+05:30')];
    expect(unmodifiedSinceHeader(versions)).toEqual({ 'If-Unmodified-Since': '2026-12-07T04:40:07+00:00' });
  });

  test('one version is its own header', () => {
    expect(unmodifiedSinceHeader([version('2026-12-07T10:00:05-07:00')])).toEqual({ 'If-Unmodified-Since': '2026-12-07T10:00:05-07:00' });
  });

  test('no versions, no header: the write is unconditional', () => {
    expect(unmodifiedSinceHeader([])).toEqual({});
  });
});
