import { Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { ensureSearchAttributes } from '../../src/temporal/ensure-search-attributes';
import { REPO_ROOT } from '../../test/support/child-process';
import { waitFor } from '../../test/support/wait-for';
import { startGroup, type GroupProcess } from '../../test/support/worker-process';
import type { Postgres } from './postgres';

const run = promisify(execFile);

/** The files docker-compose.yml mounts into its Temporal container: one configuration for both places. */
export const TEMPORAL_CONFIG_FILE = join(REPO_ROOT, 'deploy', 'temporal', 'crm-sync.yaml');
export const DYNAMIC_CONFIG_FILE = join(REPO_ROOT, 'deploy', 'temporal-dynamic-config.yaml');
const CRM_SYNC_DB_SQL = join(REPO_ROOT, 'deploy', 'create-crm-sync-db.sql');

const SETUP_SCHEMA_SCRIPT = join(REPO_ROOT, 'deploy', 'temporal', 'setup-schema.sh');
const CREATE_NAMESPACE_SCRIPT = join(REPO_ROOT, 'deploy', 'temporal', 'create-namespace.sh');

/**
 * What docker-compose.yml's setup does, with the same script: Temporal's databases created and migrated; crm-sync's
 * own database from deploy/create-crm-sync-db.sql (compose hands that file to the postgres image's first start).
 */
export async function setUpDatabases(sqlTool: string, postgres: Postgres): Promise<void> {
  const env = { PATH: process.env.PATH, SQL_TOOL: sqlTool, POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(postgres.port), POSTGRES_USER: postgres.user, POSTGRES_PWD: postgres.password };
  await run('sh', [SETUP_SCHEMA_SCRIPT], { env });
  const exists = await postgres.sql('postgres', "SELECT 1 FROM pg_database WHERE datname = 'crm_sync'");
  if (exists !== '1') await postgres.sql('postgres', readFileSync(CRM_SYNC_DB_SQL, 'utf8'));
}

export interface TemporalServer {
  address: string;
  start(): Promise<void>;
  /** SIGKILL: a crash */
  kill(): Promise<void>;
  /** SIGTERM; resolves with whether it ended in time */
  stop(): Promise<boolean>;
}

/** The Temporal server's ports: gRPC and HTTP of the frontend, and each service's gRPC and membership port. */
const PORT_VARIABLES = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

/** temporal-server on deploy/temporal/crm-sync.yaml, on the ports `portOf` gives its variables, logging to `logFile`. */
export async function prepareTemporalServer(options: { binary: string; postgres: Postgres; portOf: (variable: string) => Promise<number>; logFile: string }): Promise<TemporalServer> {
  const ports: Record<string, string> = {};
  for (const name of PORT_VARIABLES) ports[name] = String(await options.portOf(name));
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT ?? ''}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...ports,
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(options.postgres.port),
    POSTGRES_USER: options.postgres.user,
    POSTGRES_PWD: options.postgres.password,
    DYNAMIC_CONFIG_FILE_PATH: DYNAMIC_CONFIG_FILE,
  };
  let process_: GroupProcess | undefined;
  return {
    address,
    async start() {
      process_ = startGroup(options.binary, ['--config-file', TEMPORAL_CONFIG_FILE, '--allow-no-auth', 'start'], env, { logFile: options.logFile });
      const started = process_;
      let ended = false;
      await waitFor(
        async () => {
          ended = !started.running();
          return ended || (await frontendServing(address));
        },
        'the Temporal frontend to answer',
        120_000,
        250,
      );
      if (ended) throw new Error(`temporal-server exited while starting:\n${started.output().slice(-1500)}`);
    },
    async kill() {
      await process_?.kill();
    },
    async stop() {
      return (await process_?.stop(20_000)) ?? true;
    },
  };
}

/**
 * Temporal keeps each service's ports in its cluster_membership table as a PostgreSQL smallint: a port above 32767
 * (every port the OS hands out as free, Linux's ephemeral range starting at 32768) fails the server's start with
 * "value out of range for type smallint". So: a port from 20000-32767 that nothing listens on.
 */
export async function freeSmallPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + randomInt(12_768);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function frontendServing(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

/**
 * What a fresh cluster lacks before crm-sync's workers start: the namespace (compose's temporal-namespace script, with
 * the Temporal CLI), retried while the server's services are still joining each other; and crm-sync's search
 * attributes, which each worker also adds at start: adding them here tells when the new namespace is usable.
 */
export async function prepareNamespace(address: string, namespace: string): Promise<void> {
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
  if (!cli) throw new Error('the Temporal CLI was not found: put `temporal` on PATH or set TEMPORAL_CLI_PATH');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_CLI: cli, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace };
  await waitFor(async () => (await run('sh', [CREATE_NAMESPACE_SCRIPT], { env }), true), `the ${namespace} namespace to be registered`, 60_000, 1_000);
  // Refused until the frontend's namespace cache has the new namespace, so this also waits for it to be usable.
  await waitFor(
    async () => {
      const connection = await Connection.connect({ address });
      try {
        await ensureSearchAttributes(connection, namespace);
        return true;
      } finally {
        await connection.close();
      }
    },
    `crm-sync's search attributes on ${namespace}`,
    60_000,
    1_000,
  );
}
