/**
 * How often every worker reports itself to the server (the SDK Runtime's `workerHeartbeatInterval`, 1-60 s; ListWorkers
 * answers with the last report). One small RPC per process every 5 s.
 */
export const WORKER_HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * A worker whose last heartbeat is older than this is dead as far as /readyz is concerned: two heartbeats missed, plus
 * 2 s for a busy event loop. So /readyz turns 503 at most ~12 s after a worker is killed. Pollers are no such signal:
 * an idle worker's long poll lasts up to the server's 60 s long-poll interval, and its `lastAccessTime` only moves when
 * a new poll starts, so a live idle worker and one killed a minute ago look the same for up to a minute.
 */
export const WORKER_HEARTBEAT_FRESHNESS_MS = 2 * WORKER_HEARTBEAT_INTERVAL_MS + 2_000;
