import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as delay } from 'node:timers/promises';
import { createDataConverter } from '../codec/data-converter';
import { temporalAddress, type AppConfig } from '../config';
import { backfillWorkflowId } from '../domain/backfill-input';
import type { BackfillProgress } from '../domain/backfill-progress';
import { SYSTEMS } from '../systems/registry';
import { backfillProgressQuery, BACKFILL_PRIORITY, TASK_QUEUES, WORKFLOW_TYPES } from '../workflows/messages';
import type { backfill } from '../workflows/backfill';
import { BackfillUsageError, parseBackfillFlags } from './backfill-flags';
import { finalReport, progressLine, type SystemLabel } from './backfill-progress-line';

export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** aborted on Ctrl-C: stop watching, leave the backfill running */
  interrupted?: AbortSignal;
  /** how often the progress query is polled (default 500 ms) */
  pollMs?: number;
  /** without a TTY, a progress line at most this often (default 5 s) */
  plainEveryMs?: number;
}

/**
 * `npm run backfill -- --from <system> --object contact …`: validates the flags with the workflow's own schema (and
 * `--from` against the registered systems), starts the `backfill` workflow, draws its progress (the `progress` query)
 * on stderr and prints the final counts on stdout.
 */
export async function runBackfillCommand(config: AppConfig, args: string[], io: CommandIo, systems: readonly SystemLabel[] = SYSTEMS): Promise<number> {
  let flags: ReturnType<typeof parseBackfillFlags>;
  try {
    flags = parseBackfillFlags(args, systems);
  } catch (error) {
    if (!(error instanceof BackfillUsageError)) throw error;
    io.stderr.write(error.message.endsWith('\n') ? error.message : `${error.message}\n`);
    return 1;
  }
  const connection = await Connection.connect({ address: temporalAddress(config) });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config.codecKeys) });
    const workflowId = flags.workflowId ?? backfillWorkflowId(flags.input, new Date());
    const handle = await client.workflow.start<typeof backfill>(WORKFLOW_TYPES.backfill, {
      taskQueue: TASK_QUEUES.sync,
      workflowId,
      args: [flags.input],
      priority: { priorityKey: BACKFILL_PRIORITY },
    });
    io.stderr.write(`backfill started: ${workflowId}${flags.input.dryRun ? ' (dry run)' : ''}\n`);
    if (flags.detach) {
      io.stdout.write(`${workflowId}\n`);
      return 0;
    }
    return await watch(handle, workflowId, io, systems);
  } finally {
    await connection.close();
  }
}

async function watch(handle: WorkflowHandle<typeof backfill>, workflowId: string, io: CommandIo, systems: readonly SystemLabel[]): Promise<number> {
  const tty = io.stderr.isTTY === true;
  const plainEveryMs = io.plainEveryMs ?? 5000;
  let finished: { ok: true; progress: BackfillProgress } | { ok: false; error: unknown } | undefined;
  const result = handle.result().then(
    (progress) => void (finished = { ok: true, progress }),
    (error: unknown) => void (finished = { ok: false, error }),
  );
  let lastPlain = 0;
  while (!finished && !io.interrupted?.aborted) {
    const progress = await handle.query(backfillProgressQuery).catch(() => undefined);
    if (progress) {
      if (tty) io.stderr.write(`\r${progressLine(progress)}\x1b[K`);
      else if (Date.now() - lastPlain >= plainEveryMs) {
        io.stderr.write(`${progressLine(progress)}\n`);
        lastPlain = Date.now();
      }
    }
    await Promise.race([result, delay(io.pollMs ?? 500, undefined, { ref: false })]);
  }
  if (tty) io.stderr.write('\n');
  if (!finished) {
    io.stderr.write(
      `stopped watching; the backfill keeps running (workflow id ${workflowId}):\n` +
        `  progress: npm run cli -- backfill-progress ${workflowId}\n` +
        `  pause:    npm run cli -- backfill-pause ${workflowId}   (resume: backfill-resume)\n` +
        `  cancel:   npm run cli -- backfill-cancel ${workflowId}\n`,
    );
    return 130;
  }
  if (!finished.ok) {
    const error = finished.error;
    const cause = error instanceof WorkflowFailedError && error.cause ? error.cause.message : error instanceof Error ? error.message : String(error);
    io.stderr.write(`backfill ${workflowId} failed: ${cause}\n`);
    return 1;
  }
  io.stdout.write(finalReport(workflowId, finished.progress, systems));
  return 0;
}
