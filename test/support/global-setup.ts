import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer } from '../../src/temporal/dev-server';
import { TEST_BUNDLE_PATH, TEST_STATE_DIR } from './paths';

/** One real Temporal dev server and one workflow bundle for the whole test run. */
export default async function globalSetup(): Promise<void> {
  mkdirSync(TEST_STATE_DIR, { recursive: true });
  // eslint-disable-next-line no-restricted-syntax -- test harness: the CLI path comes from the CI environment
  const server = await startDevServer({ cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH) });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
  });
  writeFileSync(TEST_BUNDLE_PATH, code);
  writeFileSync(join(TEST_STATE_DIR, 'temporal-address'), server.address);
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  (globalThis as { __temporalServer?: typeof server }).__temporalServer = server;
}
