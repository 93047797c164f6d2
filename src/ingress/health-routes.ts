import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import express, { type Router } from 'express';
import type { SystemName } from '../domain/records';
import { withinDeadline } from '../temporal/bounded-call';
import { WORKER_HEARTBEAT_FRESHNESS_MS } from '../temporal/worker-liveness';
import { workerTaskQueues } from '../workflows/messages';

/** Inside a load balancer's usual probe timeout; past it the check itself says Temporal is not answering. */
const READY_CHECK_DEADLINE_MS = 3000;

/** Why a system's start-up step (e.g. Zoho's notification channel) is not complete yet, or null once it is. */
export type PreparedCheck = () => Promise<string | null>;

export interface HealthOptions {
  connection: Connection;
  namespace: string;
  systems: readonly SystemName[];
  /** each system's prepare step, as readiness sees it */
  prepared: readonly PreparedCheck[];
  /** each message listener's connection to its broker: why it is not consuming, or null (asked even without workers) */
  listeners?: readonly (() => string | null)[];
}

const RUNNING = temporal.api.enums.v1.WorkerStatus.WORKER_STATUS_RUNNING;

/**
 * /healthz: the process is alive. /readyz: Temporal answers, a running worker has heartbeated recently on each of our
 * task queues, every system's prepare step has completed (before that, a change would go unnotified), and every message
 * listener is connected to its broker.
 */
export function healthRoutes(options: HealthOptions): Router {
  const router = express.Router();
  const queues = workerTaskQueues(options.systems);
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    // A listener's broker needs no worker to be checked: its reason is given beside the workers' and Temporal's.
    const listening = (options.listeners ?? []).map((check) => check()).filter((reason) => reason !== null);
    let reasons: string[];
    try {
      reasons = await withinDeadline(options.connection, READY_CHECK_DEADLINE_MS, async () => {
        const dead = await queuesWithoutLiveWorker(options.connection, options.namespace, queues);
        // A prepared check may query a workflow, which only a live worker answers.
        if (dead.length) return [`no live worker on task queue(s): ${dead.join(', ')}`];
        const pending = await Promise.all(options.prepared.map((check) => check()));
        return pending.filter((reason) => reason !== null);
      });
    } catch (error) {
      res.status(503).json({ status: 'not ready', reason: [`Temporal unreachable: ${(error as Error).message}`, ...listening].join('; ') });
      return;
    }
    reasons.push(...listening);
    if (reasons.length) {
      res.status(503).json({ status: 'not ready', reason: reasons.join('; ') });
      return;
    }
    res.json({ status: 'ready' });
  });
  return router;
}

/** The queues no running worker has heartbeated on within WORKER_HEARTBEAT_FRESHNESS_MS. */
async function queuesWithoutLiveWorker(connection: Connection, namespace: string, queues: readonly string[]): Promise<string[]> {
  const live = new Set<string>();
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listWorkers({ namespace, pageSize: 1000, nextPageToken });
    for (const { workerHeartbeat: beat } of page.workersInfo ?? []) {
      const sentAt = Number(beat?.heartbeatTime?.seconds ?? 0) * 1000 + (beat?.heartbeatTime?.nanos ?? 0) / 1e6;
      if (beat?.taskQueue && beat.status === RUNNING && Date.now() - sentAt < WORKER_HEARTBEAT_FRESHNESS_MS) live.add(beat.taskQueue);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return queues.filter((queue) => !live.has(queue));
}
