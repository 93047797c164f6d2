import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_KEYS } from './search-attributes';

export interface DevServerOptions {
  /** Path to the Temporal CLI; undefined downloads it (needs internet). */
  cliPath: string | undefined;
  ip?: string;
  /** Frontend port; undefined picks a free one. */
  port?: number;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  /** SQLite file for persistence; undefined keeps state in memory. */
  dbFilename?: string;
  uiCodecEndpoint?: string;
  namespace?: string;
  /** further namespaces to create at start (tests isolate each file in its own) */
  extraNamespaces?: string[];
}

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  env: TestWorkflowEnvironment;
  stop: () => Promise<void>;
}

/**
 * - The server holds each continue-as-new back until the previous run started at least this long ago (default 1 s,
 *   against runaway loops). A backfill continues as new after every page: with the default, a page could never take
 *   less than about a second. Clusters keep their own setting; there `concurrency` keeps several pages in flight.
 * - One partition per task queue (default 4): task priority and the queue's rate limit are per partition, so with four
 *   a live call could wait behind the backfill's calls in its partition's share of the budget. On a cluster, set the
 *   same two keys for every system's crm-<system> queue (docs/ARCHITECTURE.md, Backfill).
 */
const DYNAMIC_CONFIG = ['history.workflowIdReuseMinimalInterval="0s"', 'matching.numTaskqueueReadPartitions=1', 'matching.numTaskqueueWritePartitions=1'];

/**
 * Starts `temporal server start-dev` with our search attributes registered. SQLite pragmas follow the SDK's own CI:
 * WAL and synchronous=OFF make file persistence fast enough for tests and benchmarks.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  if (options.dbFilename) mkdirSync(dirname(options.dbFilename), { recursive: true });
  const extraArgs = ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF', ...DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value])];
  if (options.uiCodecEndpoint) extraArgs.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const namespace of options.extraNamespaces ?? []) extraArgs.push('--namespace', namespace);
  const start = () =>
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: options.cliPath ? { type: 'existing-path', path: options.cliPath } : { type: 'cached-download' },
        ip,
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        dbFilename: options.dbFilename,
        namespace: options.namespace ?? 'default',
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
        extraArgs,
      },
    });
  const env = await startWithinDeadlines(start);
  const address = env.address;
  return {
    address,
    uiUrl: options.uiPort !== undefined ? `http://${ip}:${options.uiPort}` : undefined,
    env,
    stop: () => env.teardown(),
  };
}

const START_ATTEMPTS = 3;

/**
 * The SDK gives a starting server 5 s to answer (a fixed deadline in sdk-core) and kills it after. It boots in a fraction
 * of that, but not always on a busy machine (a CI run's global setup had it miss while the workflow bundle and the
 * RabbitMQ node started beside it), so a start that missed the deadline is made again, on a fresh port when none was
 * asked for. Any other failure (no executable, a refused option) is thrown at once.
 */
async function startWithinDeadlines<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !/did not start within/.test(String(error))) throw error;
    }
  }
}
