import { join } from 'node:path';
import { silentLogger } from '../../src/logger';
import { cachedWorkflowBundle, type CachedWorkflowBundle } from '../../src/worker/workflow-bundle';
import { TEST_STATE_DIR } from './paths';

/** The workflow bundles of test runs, benchmarks and recordings: one cache, so that a run after an unchanged one bundles nothing. */
const WORKFLOW_BUNDLE_CACHE = join(TEST_STATE_DIR, 'workflow-bundles');

/** Our workflows' bundle for test runs, benchmarks and recordings, from their cache. */
export async function testWorkflowBundle(): Promise<CachedWorkflowBundle & { codePath: string }> {
  const bundle = await cachedWorkflowBundle({ dir: WORKFLOW_BUNDLE_CACHE, logger: silentLogger });
  return { ...bundle, codePath: cachedPath(bundle) };
}

/** The bundle's file: a cache inside the checkout that cannot be written is a broken checkout, not a case to run on. */
export function cachedPath(bundle: CachedWorkflowBundle): string {
  if (!('codePath' in bundle)) throw new Error('the workflow bundle could not be written to its cache (see the warning logged)');
  return bundle.codePath;
}
