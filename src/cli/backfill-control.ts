import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../codec/data-converter';
import { temporalAddress, type AppConfig } from '../config';
import { backfillCancelSignal, backfillPauseSignal, backfillProgressQuery, backfillResumeSignal } from '../workflows/messages';
import type { CommandIo } from './backfill-command';
import { progressLine } from './backfill-progress-line';

export const BACKFILL_CONTROL_COMMANDS = ['backfill-pause', 'backfill-resume', 'backfill-cancel', 'backfill-progress'] as const;
export type BackfillControlCommand = (typeof BACKFILL_CONTROL_COMMANDS)[number];

const SIGNALS = { 'backfill-pause': backfillPauseSignal, 'backfill-resume': backfillResumeSignal, 'backfill-cancel': backfillCancelSignal } as const;

/** `npm run cli -- backfill-pause|backfill-resume|backfill-cancel|backfill-progress <workflowId>`. */
export async function runBackfillControl(config: AppConfig, command: BackfillControlCommand, args: string[], io: CommandIo): Promise<number> {
  const [workflowId, ...rest] = args;
  if (!workflowId || rest.length > 0) {
    io.stderr.write(`${command}: give one backfill workflow id, as "backfill" printed it (backfill:<system>:<object>:<time>)\n`);
    return 1;
  }
  const connection = await Connection.connect({ address: temporalAddress(config) });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    const handle = client.workflow.getHandle(workflowId);
    if (command === 'backfill-progress') {
      const progress = await handle.query(backfillProgressQuery);
      io.stdout.write(`${progressLine(progress)}\n${JSON.stringify(progress, null, 2)}\n`);
      return 0;
    }
    await handle.signal(SIGNALS[command]);
    io.stdout.write(`${command.replace('backfill-', '')} signalled: ${workflowId}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}
