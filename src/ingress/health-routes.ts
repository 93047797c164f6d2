import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import express, { type Router } from 'express';
import type { SystemName } from '../domain/records';
import { TASK_QUEUES, taskQueueFor } from '../workflows/messages';

/** A poller seen within this window counts as a live worker. */
const POLLER_FRESHNESS_MS = 90_000;

const READY_CHECK_DEADLINE_MS = 3000;

/** The sync queue's workflows, and each system's activities. */
function queueChecks(systems: readonly SystemName[]) {
  return [
    { queue: TASK_QUEUES.sync, type: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW },
    ...systems.map((system) => ({ queue: taskQueueFor(system), type: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY })),
  ];
}

/** /healthz: the process is alive. /readyz: Temporal answers and a worker polls each of our task queues. */
export function healthRoutes(connection: Connection, namespace: string, systems: readonly SystemName[]): Router {
  const router = express.Router();
  const checks = queueChecks(systems);
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    try {
      const missing: string[] = [];
      for (const { queue, type } of checks) {
        const description = await connection.withDeadline(Date.now() + READY_CHECK_DEADLINE_MS, () =>
          connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: queue }, taskQueueType: type }),
        );
        const fresh = (description.pollers ?? []).some((poller) => {
          const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
          return Date.now() - seconds * 1000 < POLLER_FRESHNESS_MS;
        });
        if (!fresh) missing.push(queue);
      }
      if (missing.length) {
        res.status(503).json({ status: 'not ready', reason: `no worker polling task queue(s): ${missing.join(', ')}` });
        return;
      }
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'not ready', reason: `Temporal unreachable: ${(error as Error).message}` });
    }
  });
  return router;
}
