import { Client, Connection } from '@temporalio/client';
import { parseArgs } from 'node:util';
import { createDataConverter } from '../codec/data-converter';
import { temporalAddress, type AppConfig } from '../config';
import { CRM_OBJECTS, type SystemName } from '../domain/records';
import { retrySignal } from '../workflows/messages';

const STATUSES = ['ok', 'failed', 'pending', 'skipped'] as const;

/** `status` and `retry`: the operator's view of sync workflows, through Temporal's visibility queries. */
export async function runOperatorCommand(config: AppConfig, command: 'status' | 'retry', args: string[], systems: readonly SystemName[]): Promise<number> {
  const connection = await Connection.connect({ address: temporalAddress(config) });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    return command === 'status' ? await printStatus(client, systems) : await retry(client, args);
  } finally {
    await connection.close();
  }
}

async function printStatus(client: Client, systems: readonly SystemName[]): Promise<number> {
  const width = Math.max(8, ...systems.map((system) => system.length));
  const rows: string[] = [`${'system'.padEnd(width)} object   status    count`];
  for (const system of systems) {
    for (const object of CRM_OBJECTS) {
      for (const status of STATUSES) {
        const query = `CrmSystem="${system}" AND CrmObject="${object}" AND SyncStatus="${status}" AND ExecutionStatus="Running"`;
        const { count } = await client.workflow.count(query);
        if (count > 0) rows.push(`${system.padEnd(width)} ${object.padEnd(8)} ${status.padEnd(9)} ${count}`);
      }
    }
  }
  process.stdout.write(`${rows.length > 1 ? rows.join('\n') : 'no running sync workflows'}\n`);
  return 0;
}

async function retry(client: Client, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'all-failed': { type: 'boolean' }, object: { type: 'string' } },
  });
  if (values.object !== undefined && !(CRM_OBJECTS as readonly string[]).includes(values.object)) {
    throw new Error(`--object: expected one of ${CRM_OBJECTS.join(', ')}, got "${values.object}"`);
  }
  if (!values['all-failed']) {
    const [workflowId] = positionals;
    if (!workflowId) throw new Error('retry: give a workflow id (<system>:<object>:<record id>, as the failure report shows them) or --all-failed');
    await client.workflow.getHandle(workflowId).signal(retrySignal);
    process.stdout.write(`retry signalled: ${workflowId}\n`);
    return 0;
  }
  const objectFilter = values.object ? ` AND CrmObject="${values.object}"` : '';
  let count = 0;
  for await (const execution of client.workflow.list({ query: `SyncStatus="failed" AND ExecutionStatus="Running"${objectFilter}` })) {
    await client.workflow.getHandle(execution.workflowId).signal(retrySignal);
    count++;
  }
  process.stdout.write(`retry signalled: ${count} failed record(s)\n`);
  return 0;
}
