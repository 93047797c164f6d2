import { Agent } from 'node:http';
import { post, signedHubspotHeaders } from '../support/hubspot-webhook';
import { LIFTED } from '../support/profiles';
import { progress } from '../support/progress';
import { ms, num, type Scenario } from '../support/scenario';
import { startBenchStack } from '../support/stack';
import { reportSummary, round, summarize } from '../support/stats';

const EVENTS_PER_BATCH = 100;
const PROPERTIES = ['firstname', 'lastname', 'jobtitle', 'city'] as const;
/** Records the batches touch, cycled: enough that most events start a workflow, as a bulk import would. */
const RECORD_UNIVERSE = 5_000;
const FIRST_RECORD_ID = 50_000_001;
const WARM_UP_MS = 3_000;

/**
 * Scenario 1. Closed-loop clients post signed HubSpot webhook batches (100 propertyChange events: 25 records × 4
 * properties, as HubSpot batches a bulk edit) straight to the API, each client sending its next batch as soon as the
 * previous one was answered. The API answers 200 only once Temporal accepted every event (one Signal-With-Start per
 * event), so accepted events per second is the ingress capacity. The worker runs meanwhile, as in `npm start`; the
 * records do not exist in HubSpot, so each pass is one read that finds nothing.
 */
export const ingressScenario: Scenario = {
  name: 'ingress',
  summary: 'signed HubSpot webhook batches posted as fast as the API accepts them',
  async run({ cliPath, workflowBundle, options }) {
    const stack = await startBenchStack({ cliPath, workflowBundle, profile: LIFTED });
    try {
      const url = new URL(`${stack.apiUrl}/webhooks/hubspot`);
      // The API verifies the signature against the URL the CRM called: its public URL.
      const signedUri = `${stack.publicUrl}/webhooks/hubspot`;
      const secret = stack.config.hubspot.clientSecret;
      const agent = new Agent({ keepAlive: true, maxSockets: options.ingressConcurrency });
      let batchNo = 0;
      let eventId = 1;
      const makeBatch = (): string => {
        const first = (batchNo++ * (EVENTS_PER_BATCH / PROPERTIES.length)) % RECORD_UNIVERSE;
        const events = [];
        for (let i = 0; i < EVENTS_PER_BATCH; i++) {
          const objectId = FIRST_RECORD_ID + ((first + Math.floor(i / PROPERTIES.length)) % RECORD_UNIVERSE);
          const propertyName = PROPERTIES[i % PROPERTIES.length];
          events.push({ eventId: eventId++, subscriptionId: 1003, portalId: 62515, appId: 1001, occurredAt: Date.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId, propertyName, propertyValue: `v${eventId}`, changeSource: 'CRM_UI', sourceId: 'userId:4242001' });
        }
        return JSON.stringify(events);
      };

      const measured: number[] = [];
      let accepted = 0;
      let refused = 0;
      const start = performance.now();
      const measureFrom = start + WARM_UP_MS;
      const end = measureFrom + options.ingressSeconds * 1000;
      progress(`ingress: ${options.ingressConcurrency} clients, batches of ${EVENTS_PER_BATCH} events, ${WARM_UP_MS / 1000} s warm-up then ${options.ingressSeconds} s`);
      const ticker = setInterval(() => progress(`  ingress: ${accepted} events accepted so far, ${refused} batches refused`), 5_000);
      const client = async () => {
        while (performance.now() < end) {
          const body = makeBatch();
          const headers = signedHubspotHeaders(secret, signedUri, body);
          const sentAt = performance.now();
          const status = await post(agent, url, headers, body);
          const answeredAt = performance.now();
          // Throughput counts what was answered inside the window; latency only batches sent inside it too.
          if (answeredAt < measureFrom || answeredAt > end) continue;
          if (status !== 200) {
            refused++;
            continue;
          }
          accepted += EVENTS_PER_BATCH;
          if (sentAt >= measureFrom) measured.push(answeredAt - sentAt);
        }
      };
      await Promise.all(Array.from({ length: options.ingressConcurrency }, client));
      clearInterval(ticker);
      agent.destroy();
      const seconds = (end - measureFrom) / 1000;
      const timeTo200 = summarize(measured);
      const figures = {
        durationSeconds: options.ingressSeconds,
        concurrency: options.ingressConcurrency,
        eventsPerBatch: EVENTS_PER_BATCH,
        eventsAcceptedPerSecond: round(accepted / seconds),
        batchesAccepted: accepted / EVENTS_PER_BATCH,
        batchesRefused: refused,
        timeTo200Ms: reportSummary(timeTo200),
        limits: LIFTED.name,
      };
      return {
        figures,
        rows: [
          { metric: 'events accepted/s', value: num(figures.eventsAcceptedPerSecond) },
          { metric: 'time to 200 p50 / p99 (batch of 100)', value: `${ms(timeTo200.p50)} / ${ms(timeTo200.p99)}` },
          { metric: 'batches accepted / refused', value: `${accepted / EVENTS_PER_BATCH} / ${refused}` },
        ],
      };
    } finally {
      await stack.close();
    }
  },
};
