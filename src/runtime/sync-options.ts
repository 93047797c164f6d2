import type { AppConfig } from '../config';
import type { RecordSyncOptions } from '../workflows/record-sync';

/** What every record workflow is started with; taken from config at start, so a restart applies new rules. */
export function recordSyncOptions(config: AppConfig): RecordSyncOptions {
  return {
    deletes: config.rules.deletes,
    coalesceMs: config.sync.coalesceMs,
    idleTimeoutMs: config.sync.idleTimeoutMs,
    maxPassesPerRun: config.sync.maxPassesPerRun,
  };
}
