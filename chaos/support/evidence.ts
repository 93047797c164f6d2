import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../../test/support/child-process';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import type { Topology } from './topology';

/**
 * Saves the decoded histories of the workflows behind a failed verdict, while the topology still runs: payloads are
 * decoded by the API's codec server, as the Web UI would. The files hold the suite's own made-up values only.
 */
export async function saveHistories(topology: Topology, adminToken: string, workflowIds: readonly string[], dir: string): Promise<string[]> {
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH, process.env.PATH);
  const api = topology.urls.api[0];
  if (!cli || !api) return [];
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  for (const id of workflowIds) {
    const args = ['workflow', 'show', '-w', id, '--address', topology.temporal.address, '--namespace', topology.temporal.namespace];
    const shown = await runProcess(cli, [...args, '--codec-endpoint', `${api}/codec`, '--codec-auth', `Bearer ${adminToken}`, '--output', 'json'], { PATH: process.env.PATH, HOME: process.env.HOME });
    if (shown.code !== 0) continue;
    const file = join(dir, `${id.replace(/[^a-zA-Z0-9-]/g, '_')}.json`);
    writeFileSync(file, shown.stdout);
    saved.push(file);
  }
  return saved;
}
