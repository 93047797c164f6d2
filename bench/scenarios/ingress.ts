import { Agent } from 'node:http';
import { post, signedHubspotHeaders } from '../support/hubspot-webhook';
import { createLinkedPool } from '../support/linked-pool';
import { runLiveLoad, type LiveLoadResult } from '../support/live-load';
import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, num, type Scenario } from '../support/scenario';
import { startBenchStack } from '../support/stack';
import { reportSummary, round, summarize } from '../support/stats';
import { WORKFLOW_TYPES } from '../../src/workflows/messages';
import { waitFor } from '../../test/support/wait-for';

const EVENTS_PER_BATCH = 100;
const PROPERTIES = ['firstname', 'lastname', 'jobtitle', 'city'] as const;
/** Records the batches touch, cycled: enough that most events start a workflow, as a bulk import would. */
const RECORD_UNIVERSE = 5_000;
const FIRST_RECORD_ID = 50_000_001;
const WARM_UP_MS = 3_000;
/**
 * How long the fan-out is watched after a phase: it signalled 40-90 records/s on this machine once thousands of record
 * workflows ran (bench/README.md), so a long burst's backlog takes minutes; --quick reports what is left after 30 s.
 */
const BACKLOG_WATCH_MS = 600_000;
const QUICK_BACKLOG_WATCH_MS = 30_000;
/** A person's edits while the burst's backlog is worked through: the issue asks for p99 ≤ 2 s again within a minute. */
const LIVE_EDITS_PER_SECOND = 2;
const LIVE_POOL = 40;
const RECOVERY_MS = 60_000;
const BASELINE_MS = 15_000;
const QUICK_BASELINE_MS = 6_000;

/**
 * Scenario 1. Signed HubSpot webhook batches (100 propertyChange events: 25 records × 4 properties, as HubSpot batches
 * a bulk edit) posted straight to the API, twice: first open loop at the issue's rate (a batch every interval, whatever
 * the answers: the time to the 200 a CRM sees at that rate), then closed loop, each client sending its next batch as
 * soon as the previous one was answered (the most the ingress takes; its latency is then the clients' own queue). The
 * API answers 200 only once Temporal holds the whole delivery (one bulk-delivery workflow start, fanned out to the
 * records behind it). The worker runs meanwhile, as in `npm start`, and works through the backlog at its own pace:
 * after each phase the scenario reports how long the fan-out still took. The records do not exist in HubSpot, so each
 * pass is one read that finds nothing. A person edits linked contacts in HubSpot (2 edits/s), each edit timed until
 * Zoho has it: for 15 s before the burst, while the paced burst's fan-out runs (its first minute, then the rest), and
 * for 15 s once it is done; and how long after the last batch every record named had its first pass (the backlog).
 */
export const ingressScenario: Scenario = {
  name: 'ingress',
  summary: "signed HubSpot webhook batches posted at the issue's rate, then as fast as the API accepts them",
  async run({ base, options }) {
    const stack = await startBenchStack({ ...base, profile: LIFTED });
    try {
      const url = new URL(`${stack.apiUrl}/webhooks/hubspot`);
      // The API verifies the signature against the URL the CRM called: its public URL.
      const signedUri = `${stack.publicUrl}/webhooks/hubspot`;
      const secret = stack.config.hubspot.clientSecret;
      // enough sockets that the paced phase never waits for one: its batches are sent whatever the answers
      const agent = new Agent({ keepAlive: true, maxSockets: 64 });
      const watchMs = options.quick ? QUICK_BACKLOG_WATCH_MS : BACKLOG_WATCH_MS;
      const baselineMs = options.quick ? QUICK_BASELINE_MS : BASELINE_MS;
      const pool = await createLinkedPool(stack, LIVE_POOL, 20);
      const liveEdits = (label: string, until: { durationMs?: number; stop?: () => boolean }) =>
        runLiveLoad(stack, { pool, direction: 'hubspot-to-zoho', ratePerSecond: LIVE_EDITS_PER_SECOND, timeoutMs: 60_000, label, ...until });
      // the same edits on the same stack before any burst: what "starved" is measured against
      progress(`  ${LIVE_EDITS_PER_SECOND} edits/s in HubSpot for ${baselineMs / 1000} s before the burst`);
      const beforeBurst = await liveEdits('before the burst', { durationMs: baselineMs });
      let batchNo = 0;
      let eventId = 1;
      const named = new Set<number>();
      const makeBatch = (): string => {
        const first = (batchNo++ * (EVENTS_PER_BATCH / PROPERTIES.length)) % RECORD_UNIVERSE;
        const events = [];
        for (let i = 0; i < EVENTS_PER_BATCH; i++) {
          const objectId = FIRST_RECORD_ID + ((first + Math.floor(i / PROPERTIES.length)) % RECORD_UNIVERSE);
          named.add(objectId);
          const propertyName = PROPERTIES[i % PROPERTIES.length];
          events.push({ eventId: eventId++, subscriptionId: 1003, portalId: 62515, appId: 1001, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId, propertyName, propertyValue: `v${eventId}`, changeSource: 'CRM_UI', sourceId: 'userId:4242001' });
        }
        return JSON.stringify(events);
      };

      const post100 = async (): Promise<{ status: number; sentAt: number; answeredAt: number }> => {
        const body = makeBatch();
        const headers = signedHubspotHeaders(secret, signedUri, body);
        const sentAt = performance.now();
        const status = await post(agent, url, headers, body);
        return { status, sentAt, answeredAt: performance.now() };
      };

      // First at the rate, open loop (a batch every interval whatever the answers): the time to the 200 a CRM sees.
      const paced = await drive('paced', `${options.ingressRate} events/s`, (window) => {
        const interval = (1000 * EVENTS_PER_BATCH) / options.ingressRate;
        const sends: Promise<void>[] = [];
        return new Promise<void>((resolve) => {
          const next = (at: number) => {
            if (at >= window.end) return void Promise.all(sends).then(() => resolve());
            sends.push(post100().then(window.record));
            setTimeout(() => next(at + interval), Math.max(0, at + interval - performance.now()));
          };
          next(performance.now());
        });
      });
      // A person's edits in HubSpot while the fan-out behind the burst runs: the first minute, then the rest of it.
      let fanning = true;
      const pacedFanOut = fanOutDone().finally(() => (fanning = false));
      const pacedPasses = passesDone();
      const firstMinute = await liveEdits('after the burst', { durationMs: RECOVERY_MS, stop: () => !fanning });
      const afterFirstMinute = fanning ? await liveEdits('a minute after the burst', { stop: () => !fanning }) : null;
      const pacedBacklog = await pacedFanOut;
      // Whether a person's edit is back within 2 s p99 once the fan-out is done: the issue asks for it within a minute.
      const afterFanOut = pacedBacklog === null ? null : await liveEdits('after the fan-out', { durationMs: baselineMs });
      const pacedPassesDone = await pacedPasses;
      // Then closed loop (each client sends its next batch once answered): what the ingress takes at most.
      const capacity = await drive('capacity', `${options.ingressConcurrency} clients`, async (window) => {
        const client = async () => {
          while (performance.now() < window.end) window.record(await post100());
        };
        await Promise.all(Array.from({ length: options.ingressConcurrency }, client));
      });
      // --quick does not watch this backlog: after a 5 s burst at the capacity, 111-169 deliveries still fanned out 30 s
      // later here, so a watch within the quick run's minutes would only say "not within".
      const capacityBacklog = options.quick ? undefined : await fanOutDone();
      agent.destroy();

      const live = {
        beforeBurst: liveFigures(beforeBurst),
        fanOutFirstMinute: liveFigures(firstMinute),
        fanOutAfterFirstMinute: afterFirstMinute && liveFigures(afterFirstMinute),
        afterFanOut: afterFanOut && liveFigures(afterFanOut),
      };
      const figures = {
        durationSeconds: options.ingressSeconds,
        eventsPerBatch: EVENTS_PER_BATCH,
        paced: {
          offeredEventsPerSecond: options.ingressRate,
          ...paced,
          fanOutSecondsAfterLastBatch: pacedBacklog,
          firstPassesDoneSecondsAfterLastBatch: pacedPassesDone,
          liveEdits: { perSecond: LIVE_EDITS_PER_SECOND, ...live },
        },
        capacity: { concurrency: options.ingressConcurrency, ...capacity, fanOutSecondsAfterLastBatch: capacityBacklog ?? null },
        recordsNamed: named.size,
        limits: LIFTED.name,
      };
      return {
        figures,
        rows: [
          { metric: `at ${options.ingressRate} events/s: accepted/s`, value: num(paced.eventsAcceptedPerSecond) },
          { metric: `at ${options.ingressRate} events/s: time to 200 p50 / p99 (batch of 100)`, value: `${ms(paced.timeTo200Ms.p50)} / ${ms(paced.timeTo200Ms.p99)}` },
          { metric: `at ${options.ingressRate} events/s: batches refused; fan-out done after the last`, value: `${paced.batchesRefused}; ${backlog(pacedBacklog)}` },
          { metric: `at ${options.ingressRate} events/s: every record's pass done after the last batch`, value: backlog(pacedPassesDone) },
          { metric: "a person's HubSpot edit in Zoho before the burst: p50 / p99 (timed out)", value: liveRow(live.beforeBurst) },
          { metric: "a person's HubSpot edit in Zoho during the fan-out, first minute: p50 / p99 (timed out)", value: liveRow(live.fanOutFirstMinute) },
          { metric: "a person's HubSpot edit in Zoho during the fan-out, after a minute: p50 / p99 (timed out)", value: live.fanOutAfterFirstMinute ? liveRow(live.fanOutAfterFirstMinute) : pacedBacklog === null ? 'not measured: the watch ended first' : 'fan-out done within the minute' },
          { metric: `a person's HubSpot edit in Zoho for ${baselineMs / 1000} s once the fan-out is done: p50 / p99 (timed out)`, value: live.afterFanOut ? `${liveRow(live.afterFanOut)}, from ${backlog(pacedBacklog)} after the last batch` : 'not measured: the watch ended first' },
          { metric: `capacity (${options.ingressConcurrency} clients): events accepted/s`, value: num(capacity.eventsAcceptedPerSecond) },
          { metric: 'capacity: time to 200 p50 / p99 (batch of 100)', value: `${ms(capacity.timeTo200Ms.p50)} / ${ms(capacity.timeTo200Ms.p99)}` },
          { metric: 'capacity: batches accepted / refused; fan-out done after the last', value: `${capacity.batchesAccepted} / ${capacity.batchesRefused}; ${capacityBacklog === undefined ? 'not watched with --quick' : backlog(capacityBacklog)}` },
        ],
      };

      function liveFigures(run: LiveLoadResult) {
        return { edits: run.edits, latencyMs: reportSummary(summarize(run.latencies)), timedOut: run.timedOut, skippedBusy: run.skippedBusy };
      }
      function liveRow(edits: ReturnType<typeof liveFigures>): string {
        return `${ms(edits.latencyMs.p50)} / ${ms(edits.latencyMs.p99)} (${edits.timedOut} of ${edits.edits})`;
      }

      function backlog(seconds: number | null): string {
        return seconds === null ? `not within ${watchMs / 1000} s` : `${num(seconds)} s`;
      }

      interface Window {
        end: number;
        record: (answer: { status: number; sentAt: number; answeredAt: number }) => void;
      }
      /** Runs one load shape for a warm-up and the measured window; counts what was answered inside the window. */
      async function drive(name: string, shape: string, load: (window: Window) => Promise<void>) {
        const measured: number[] = [];
        let accepted = 0;
        let refused = 0;
        const measureFrom = performance.now() + WARM_UP_MS;
        const end = measureFrom + options.ingressSeconds * 1000;
        progress(`ingress ${name}: ${shape}, batches of ${EVENTS_PER_BATCH} events, ${WARM_UP_MS / 1000} s warm-up then ${options.ingressSeconds} s`);
        const ticker = setInterval(() => progress(`  ingress ${name}: ${accepted} events accepted so far, ${refused} batches refused`), 5_000);
        await load({
          end,
          record: ({ status, sentAt, answeredAt }) => {
            // latency only of batches sent inside the window too
            if (answeredAt < measureFrom || answeredAt > end) return;
            if (status !== 200) {
              refused++;
              return;
            }
            accepted += EVENTS_PER_BATCH;
            if (sentAt >= measureFrom) measured.push(answeredAt - sentAt);
          },
        });
        clearInterval(ticker);
        return {
          eventsAcceptedPerSecond: round(accepted / options.ingressSeconds),
          batchesAccepted: accepted / EVENTS_PER_BATCH,
          batchesRefused: refused,
          timeTo200Ms: reportSummary(summarize(measured)),
        };
      }

      /** Seconds from now until every record workflow has made its first pass (none still 'pending'), or null. */
      function passesDone(): Promise<number | null> {
        return secondsUntilNone(`WorkflowType = '${WORKFLOW_TYPES.recordSync}' AND SyncStatus = 'pending'`, 'records still waiting for their first pass', 1_000);
      }

      /** Seconds from now until no bulk delivery is still signalling its records (the backlog the burst left), or null. */
      function fanOutDone(): Promise<number | null> {
        progress('  ingress: waiting for the fan-out to signal every record');
        return secondsUntilNone(`WorkflowType = '${WORKFLOW_TYPES.bulkDelivery}' AND ExecutionStatus = 'Running'`, 'bulk deliveries still fanning out', 500);
      }

      /** Seconds from now until no workflow matches `query`, or null when `what` still counted some at the end of the watch. */
      async function secondsUntilNone(query: string, what: string, intervalMs: number): Promise<number | null> {
        const from = performance.now();
        const count = async () => (await stack.client.workflow.count(query)).count;
        try {
          await waitFor(async () => (await count()) === 0, `no ${what}`, watchMs, intervalMs);
        } catch {
          progress(`  ingress: ${await count()} ${what} after ${watchMs / 1000} s; not waited for`);
          return null;
        }
        return round((performance.now() - from) / 1000);
      }
    } finally {
      await stack.close();
    }
  },
};
