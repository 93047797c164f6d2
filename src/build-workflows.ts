import { ConfigError, loadDataDirConfig } from './config';
import { createLogger } from './logger';
import { cachedWorkflowBundle, workflowBundleDir } from './worker/workflow-bundle';

/**
 * `npm run build:workflows`: bundles the workflows into DATA_DIR's cache before the workers start (a deployment step;
 * the cluster does it before starting its workers), so that they start without webpack, and together without each
 * bundling the same sources.
 */
async function main(): Promise<void> {
  const config = loadDataDirConfig();
  await cachedWorkflowBundle({ dir: workflowBundleDir(config.dataDir), logger: createLogger(config.logLevel, 'build-workflows') });
}

main().catch((error: unknown) => {
  process.stderr.write(`build-workflows: ${error instanceof ConfigError ? error.message : `failed: ${String(error instanceof Error ? (error.stack ?? error.message) : error)}`}\n`);
  process.exit(1);
});
