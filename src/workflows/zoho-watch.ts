import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WatchActivities } from '../activities/watch-activities';
import { renewWatchSignal, TASK_QUEUES } from './messages';

/** Renew a day before expiry: a failed renewal then has a whole day of retries before notifications stop. */
const RENEW_BEFORE_EXPIRY_MS = 24 * 3600_000;
const MIN_WAIT_MS = 60_000;
const RENEWALS_PER_RUN = 50;

const zoho = proxyActivities<WatchActivities>({
  taskQueue: TASK_QUEUES.zoho,
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '5 minutes' },
});

/** Keeps the Zoho notification channel alive: register now, then renew before each expiry, forever. */
export async function zohoWatchWorkflow(): Promise<void> {
  let renewNow = false;
  setHandler(renewWatchSignal, () => void (renewNow = true));
  for (let renewal = 0; renewal < RENEWALS_PER_RUN; renewal++) {
    renewNow = false;
    const { expiresAt } = await zoho.renewZohoWatch();
    await condition(() => renewNow, Math.max(expiresAt - Date.now() - RENEW_BEFORE_EXPIRY_MS, MIN_WAIT_MS));
  }
  await continueAsNew<typeof zohoWatchWorkflow>();
}
