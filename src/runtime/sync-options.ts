import type { AppConfig } from '../config';
import type { RecordSyncOptions } from '../workflows/messages';

/** What every record workflow is started with; taken from config at start, so a restart applies new settings. */
export function recordSyncOptions(config: AppConfig): RecordSyncOptions {
  return {
    coalesceMs: config.sync.coalesceMs,
    idleTimeoutMs: config.sync.idleTimeoutMs,
    maxPassesPerRun: config.sync.maxPassesPerRun,
  };
}
