import { resolve } from 'node:path';
import { REPO_ROOT } from '../../test/support/child-process';
import { startCluster } from './cluster';

/**
 * `npm run cluster`: crm-sync in its production topology on this machine (see docs/RELIABILITY.md, Production
 * topology), until Ctrl-C. Its state stays in CLUSTER_DIR (default .data/cluster), so a second start carries on.
 */
async function main(): Promise<void> {
  const dir = resolve(process.env.CLUSTER_DIR ?? resolve(REPO_ROOT, '.data', 'cluster'));
  const log = (line: string) => process.stdout.write(`cluster: ${line}\n`);
  const cluster = await startCluster({ dir, log, ports: { public: portOf('CLUSTER_PUBLIC_PORT'), temporal: portOf('CLUSTER_TEMPORAL_PORT') } });
  const lines = [
    `Webhooks (relay)   ${cluster.publicUrl}   → APIs ${cluster.apiUrls.join(', ')}`,
    `Temporal           ${cluster.temporalAddress}   (namespace ${cluster.namespace}; temporal workflow list --address ${cluster.temporalAddress})`,
    `PostgreSQL         ${cluster.databaseUrl.replace(/:[^:@/]*@/, ':***@')}   (password in ${dir}/postgres-password)`,
    `HubSpot simulator  ${cluster.hubspotUrl}`,
    `Zoho simulator     ${cluster.zohoUrl}`,
    `Shop simulator     ${cluster.shopUrl ?? 'off: rabbitmq-server is not installed'}`,
    `Logs               ${dir}/logs`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\nPress Ctrl-C to stop.\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    cluster.stop().then(
      (unclean) => {
        log(unclean.length ? `stopped; killed after the deadline: ${unclean.join(', ')}` : 'stopped');
        process.exit(unclean.length ? 1 : 0);
      },
      (error: unknown) => {
        log(`error while stopping: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function portOf(name: string): number | undefined {
  const value = process.env[name];
  return value ? Number(value) : undefined;
}

main().catch((error: unknown) => {
  process.stderr.write(`cluster: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
