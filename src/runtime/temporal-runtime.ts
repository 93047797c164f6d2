import { DefaultLogger, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Installs the SDK runtime once per process, before any worker or connection: SDK and workflow logs go through
 * pino (workflow and activity logs carry workflowId and activity type as structured fields), and the SDK's own
 * metrics, including our workflows' `crm_sync_syncs`, are exported on a loopback Prometheus endpoint that our
 * authenticated /metrics relays.
 */
export function installTemporalRuntime(logger: Logger, sdkMetricsAddress: string | undefined): void {
  Runtime.install({
    // The SDK drops what is below its own level before it reaches pino, so both follow LOG_LEVEL.
    logger: new DefaultLogger(sdkLevel(logger.level), ({ level, message, meta }: { level: LogLevel; message: string; meta?: LogMetadata }) => {
      logger[PINO_LEVEL[level]]({ ...sdkFields(meta) }, message);
    }),
    telemetryOptions: sdkMetricsAddress ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress } } } : undefined,
  });
}

function sdkLevel(pinoLevel: string): LogLevel {
  switch (pinoLevel) {
    case 'trace':
      return 'TRACE';
    case 'debug':
      return 'DEBUG';
    case 'info':
      return 'INFO';
    case 'warn':
      return 'WARN';
    default:
      return 'ERROR';
  }
}

/** Only the SDK's identifying fields: workflow and activity arguments never reach the log. */
function sdkFields(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const keep = ['sdkComponent', 'workflowId', 'runId', 'workflowType', 'activityType', 'activityId', 'taskQueue', 'namespace', 'attempt', 'category', 'state', 'error'];
  const fields: Record<string, unknown> = {};
  for (const key of keep) if (meta[key] !== undefined) fields[key] = meta[key];
  return fields;
}

/** Reads the SDK's metrics endpoint, to serve them behind our bearer token. */
export async function fetchSdkMetrics(sdkMetricsAddress: string): Promise<string> {
  const response = await fetch(`http://${sdkMetricsAddress}/metrics`);
  return response.ok ? response.text() : '';
}
