import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progress } from '../../bench/support/progress';
import { startCluster } from '../../deploy/cluster/cluster';
import type { Part, TopologyDefinition, TopologyOptions } from '../support/topology';

/**
 * The production topology, as `npm run cluster` runs it (deploy/cluster): the Temporal server built from source on
 * PostgreSQL, crm-sync's store in the same PostgreSQL, two workers and two APIs behind a round-robin relay, the
 * simulators in a process of their own. 'store' is that one PostgreSQL: crashing it takes Temporal's persistence down
 * with crm-sync's, as it would in the deployment docker-compose.yml describes.
 */
export const clusterTopology: TopologyDefinition = {
  name: 'cluster',
  summary: 'production topology: Temporal server on PostgreSQL (store in the same cluster), 2 workers, 2 APIs behind a relay',
  async launch(options: TopologyOptions) {
    const dir = mkdtempSync(join(tmpdir(), 'crm-sync-chaos-cluster-'));
    const cluster = await startCluster({
      dir,
      log: (line) => progress(`  cluster: ${line}`),
      // the hourly failure report would only add noise to a timed run
      env: { REPORT_CRON: '0 0 1 1 *', ...options.env },
      sandboxEnv: { SANDBOX_SEED_CONTACTS: '0', SANDBOX_SEED_COMPANIES: '0' },
      shop: options.shop ?? false,
    }).catch((error: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    });
    const clusterPart = (part: Part) => {
      if (part === 'broker') throw new Error('the cluster topology runs its broker inside the simulators process: it cannot be killed apart');
      if (part === 'app') throw new Error("the cluster topology has no 'app': its worker and API run apart");
      return part;
    };
    return {
      name: 'cluster',
      // the relay first: it is where the CRMs deliver
      urls: { hubspot: cluster.hubspotUrl, zoho: cluster.zohoUrl, shop: cluster.shopUrl, api: [cluster.publicUrl, ...cluster.apiUrls] },
      temporal: { address: cluster.temporalAddress, namespace: cluster.namespace },
      parts: cluster.parts,
      kill: (part, instance) => cluster.kill(clusterPart(part), instance),
      start: (part, instance) => cluster.start(clusterPart(part), instance),
      close: async () => {
        const unclean = await cluster.stop();
        if (unclean.length) progress(`  cluster: killed after the stop deadline: ${unclean.join(', ')}`);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
