import { join } from 'node:path';

export const TEST_STATE_DIR = join(__dirname, '..', '..', '.data', 'test');
