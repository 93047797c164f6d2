import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../src/codec/data-converter';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer } from '../../src/temporal/dev-server';
import { allTestNamespaces } from './namespaces';
import { TEST_STATE_DIR } from './paths';

/** One real Temporal dev server and one workflow bundle for the whole test run. */
export default async function globalSetup(): Promise<void> {
  mkdirSync(TEST_STATE_DIR, { recursive: true });
  const server = await startDevServer({
    cliPath: findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH),
    extraNamespaces: allTestNamespaces(join(__dirname, '..')),
  });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
  });
  // One file per run: several runs may share this checkout.
  const bundlePath = join(TEST_STATE_DIR, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, code);
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  (globalThis as { __temporalServer?: typeof server }).__temporalServer = server;
}
