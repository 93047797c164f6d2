import { join } from 'node:path';

export const TEST_STATE_DIR = join(__dirname, '..', '..', '.data', 'test');

/** The workflow bundles of test runs, benchmarks and recordings: one cache, so that a run after an unchanged one bundles nothing. */
export const WORKFLOW_BUNDLE_CACHE = join(TEST_STATE_DIR, 'workflow-bundles');
