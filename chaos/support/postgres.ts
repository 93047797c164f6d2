import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparePostgres } from '../../deploy/cluster/postgres';
import { freePort } from '../../src/sandbox/common/free-port';

/** A private PostgreSQL cluster, as `npm run cluster` runs one, that can be crashed and started again on its data. */
export interface PrivateCluster {
  /** URL of the cluster's database for crm-sync's store */
  url: string;
  /** immediate shutdown: no checkpoint, open connections cut; the next start runs crash recovery */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** stops the cluster and removes its files */
  destroy(): Promise<void>;
}

export async function startPrivateCluster(database = 'crm_sync'): Promise<PrivateCluster> {
  const root = mkdtempSync(join(tmpdir(), 'crm-sync-chaos-pg-'));
  const postgres = await preparePostgres({ dir: join(root, 'pg'), port: await freePort(), password: randomBytes(16).toString('hex'), log: () => undefined });
  await postgres.start();
  await postgres.sql('postgres', `CREATE DATABASE ${database}`);
  return {
    url: postgres.url(database),
    crash: () => postgres.crash(),
    start: () => postgres.start(),
    destroy: async () => {
      await postgres.stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
