import { join } from 'node:path';

export const TEST_STATE_DIR = join(__dirname, '..', '..', '.data', 'test');
export const TEST_BUNDLE_PATH = join(TEST_STATE_DIR, 'workflow-bundle.js');
