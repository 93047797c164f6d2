import { DefaultLogger, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger } from '../logger';
import { WORKER_HEARTBEAT_INTERVAL_MS } from '../temporal/worker-liveness';

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
    // Heartbeats are what /readyz reads to know a worker is alive (src/temporal/worker-liveness.ts).
    workerHeartbeatInterval: WORKER_HEARTBEAT_INTERVAL_MS,
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
  const keep = ['sdkComponent', 'workflowId', 'runId', 'workflowType', 'activityType', 'activityId', 'taskQueue', 'namespace', 'attempt', 'category', 'state'];
  const fields: Record<string, unknown> = {};
  for (const key of keep) if (meta[key] !== undefined) fields[key] = meta[key];
  if (meta.error !== undefined) fields.error = errorFields(meta.error);
  return fields;
}

/**
 * An error's type and message only. Our messages name codes and fields, never values; a failure's `details`
 * (which carry the offending field values for the report) and its cause chain stay out of the log.
 */
function errorFields(error: unknown): Record<string, unknown> {
  // Errors from workflow code arrive as plain objects (copied out of the workflow sandbox), so read by shape.
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const read = (key: string): unknown => (key in error ? (error as Record<string, unknown>)[key] : undefined);
  const text = (key: string) => {
    const value = read(key);
    return typeof value === 'string' ? value : undefined;
  };
  const nonRetryable = read('nonRetryable');
  return {
    type: text('type') ?? text('name'),
    message: text('message'),
    ...(typeof nonRetryable === 'boolean' ? { nonRetryable } : {}),
  };
}

/** Reads the SDK's metrics endpoint, to serve them behind our bearer token. */
export async function fetchSdkMetrics(sdkMetricsAddress: string): Promise<string> {
  const response = await fetch(`http://${sdkMetricsAddress}/metrics`);
  return response.ok ? response.text() : '';
}
