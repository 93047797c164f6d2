import { join } from 'node:path';
import { parseKeyRing } from '../../src/codec/key-ring';

/** Histories recorded by `npm run record-histories`, replayed by test/workflows/replay.test.ts. */
export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Not a secret: the payload key the fixture histories are recorded with. They are recorded through the same codec as
 * production, so replay also proves today's codec still decodes what an older worker wrote; the key must therefore be
 * fixed and public. Never use it outside the recorder and the replay test.
 */
export const FIXTURE_CODEC_KEYS = `replay-fixtures:${Buffer.from('replay fixtures only, not secret').toString('base64')}`;

export const fixtureKeyRing = () => parseKeyRing(FIXTURE_CODEC_KEYS);
