import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONVERTER_PATHS } from '../../src/codec/data-converter';
import { silentLogger } from '../../src/logger';
import { cachedWorkflowBundle } from '../../src/worker/workflow-bundle';
import { namespaceFor } from '../support/namespaces';
import { TEST_STATE_DIR } from '../support/paths';
import { installTestRuntime } from '../support/stack';
import { cachedPath, testWorkflowBundle } from '../support/workflow-bundle';

/**
 * Issue #15 point 5: a worker starts on the bundle cached under DATA_DIR instead of running webpack. A small source
 * tree of its own (inside the checkout, so that the bundler finds @temporalio/workflow) lets the test edit a source.
 */
describe('workflow bundle cache', () => {
  // under the checkout (global setup made TEST_STATE_DIR), not the system temp dir: the bundler resolves
  // @temporalio/workflow from the sources' folder up
  const scratch = mkdtempSync(join(TEST_STATE_DIR, 'bundle-'));
  const sourceRoot = join(scratch, 'src');
  const cache = join(scratch, 'cache');
  const bundle = async () => {
    const cached = await cachedWorkflowBundle({ dir: cache, logger: silentLogger, sourceRoot, workflowsPath: join(sourceRoot, 'workflows.ts') });
    return { built: cached.built, codePath: cachedPath(cached) };
  };

  beforeAll(() => {
    mkdirSync(sourceRoot);
    writeFileSync(join(sourceRoot, 'workflows.ts'), "import { greeting } from './greeting';\nexport async function greet(name: string): Promise<string> {\n  return greeting(name);\n}\n");
    writeFileSync(join(sourceRoot, 'greeting.ts'), 'export const greeting = (name: string): string => `hello ${name}`;\n');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reuses a bundle of the same sources, builds another when a source changed, and a worker runs a workflow from it', async () => {
    const first = await bundle();
    expect(first.built).toBe(true);
    const builtAt = statSync(first.codePath).mtimeMs;

    const second = await bundle();
    expect(second).toEqual({ codePath: first.codePath, built: false });
    expect(statSync(first.codePath).mtimeMs).toBe(builtAt);

    writeFileSync(join(sourceRoot, 'greeting.ts'), 'export const greeting = (name: string): string => `hi ${name}`;\n');
    const edited = await bundle();
    expect(edited.built).toBe(true);
    expect(edited.codePath).not.toBe(first.codePath);

    await installTestRuntime();
    const address = process.env.TEMPORAL_TEST_ADDRESS ?? '';
    const namespace = namespaceFor(__filename);
    const taskQueue = `bundle-${Date.now()}`;
    const workerConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue,
      workflowBundle: { codePath: edited.codePath },
      dataConverter: CONVERTER_PATHS,
    });
    const connection = await Connection.connect({ address });
    try {
      const client = new Client({ connection, namespace, dataConverter: CONVERTER_PATHS });
      const result = await worker.runUntil(client.workflow.execute('greet', { taskQueue, workflowId: taskQueue, args: ['Ada'] }));
      expect(result).toBe('hi Ada');
    } finally {
      await connection.close();
      await workerConnection.close();
    }
  }, 180_000);

  it('gives the test run the bundle of our workflows that global setup cached', async () => {
    // every stack of the run starts its worker from TEST_WORKFLOW_BUNDLE: this is the bundle they run
    expect(await testWorkflowBundle()).toEqual({ codePath: process.env.TEST_WORKFLOW_BUNDLE, built: false });
  });
});
