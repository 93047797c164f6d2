import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WatchActivities } from '../activities/watch-activities';
import type { SystemName } from '../domain/records';
import { renewWatchSignal, taskQueueFor, watchChannelStateQuery } from './messages';

/**
 * Renew a day before expiry, so a failed renewal has a whole day of retries before notifications stop; a channel
 * granted for less (Zoho's default is an hour, a test's simulator may grant seconds) is renewed half-way through its
 * lifetime instead, and never sooner than a quarter of it (at most a minute), so a channel always outlives its wait.
 */
const RENEW_BEFORE_EXPIRY_MS = 24 * 3600_000;
const MIN_WAIT_MS = 60_000;
const MIN_WAIT_FLOOR_MS = 1_000;
const RENEWALS_PER_RUN = 50;

/** How long to wait before renewing a channel that lives `lifetimeMs` from now. */
function waitBeforeRenewal(lifetimeMs: number): number {
  const margin = Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2);
  const floor = Math.min(MIN_WAIT_MS, Math.max(lifetimeMs / 4, MIN_WAIT_FLOOR_MS));
  return Math.max(lifetimeMs - margin, floor);
}

export interface WatchChannelInput {
  /** the system whose notification channel expires unless renewed (Zoho's watch) */
  system: SystemName;
  /** carried through continue-as-new, so the channel does not look unregistered while the new run renews it */
  registeredUntil?: number;
}

/** Keeps a system's notification channel alive: register now, then renew before each expiry, forever. */
export async function watchChannelWorkflow(input: WatchChannelInput): Promise<void> {
  const channel = proxyActivities<WatchActivities>({
    taskQueue: taskQueueFor(input.system),
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '5 minutes' },
  });
  let renewNow = false;
  let registeredUntil = input.registeredUntil ?? null;
  setHandler(renewWatchSignal, () => void (renewNow = true));
  setHandler(watchChannelStateQuery, () => ({ registeredUntil }));
  for (let renewal = 0; renewal < RENEWALS_PER_RUN; renewal++) {
    renewNow = false;
    const { expiresAt } = await channel.renewWatch();
    registeredUntil = expiresAt;
    await condition(() => renewNow, waitBeforeRenewal(expiresAt - Date.now()));
  }
  await continueAsNew<typeof watchChannelWorkflow>({ system: input.system, ...(registeredUntil === null ? {} : { registeredUntil }) });
}
