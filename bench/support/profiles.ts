import type { HubspotSimulatorInput } from '../../src/sandbox/hubspot';
import type { ZohoSimulatorOptions } from '../../src/sandbox/zoho';

/**
 * CRM limits per scenario, and the worker's task-queue rate limits set to match (the connector's own throttle must
 * sit just under the CRM's, as in production). The simulators add no latency in any profile.
 */
export interface LimitProfile {
  name: string;
  env: Record<string, string>;
  hubspot: HubspotSimulatorInput;
  zoho: Partial<ZohoSimulatorOptions>;
}

/**
 * Scenarios 1-3 and 6 measure the connector, not the CRMs' quotas: limits far above the load (50 edits/s would
 * exceed every HubSpot tier, whose best is 250 requests/10 s), so that no 429 and no throttle shapes the figures.
 */
export const LIFTED: LimitProfile = {
  name: 'lifted limits: HubSpot 10,000 req/10 s and 100 searches/s, Zoho 50 concurrent; task queues HubSpot 900/s, Zoho 500/s',
  env: { HUBSPOT_ACTIVITIES_PER_SECOND: '900', HUBSPOT_REQUESTS_PER_10S: '10000', HUBSPOT_SEARCHES_PER_SECOND: '100', ZOHO_ACTIVITIES_PER_SECOND: '500' },
  hubspot: { rateLimit: { perTenSeconds: 10_000, searchPerSecond: 100 } },
  zoho: { maxConcurrentPerToken: 50 },
};

/**
 * Scenarios 4-5: HubSpot's Free/Starter burst limit, 100 requests per rolling 10 s (and 5 searches/s), paced by the
 * client (HUBSPOT_REQUESTS_PER_10S), with the HubSpot task queue at the default 50 activities/s. Zoho limits concurrency (10 calls in flight, the
 * Standard edition) and daily credits, not requests per second: at zero added latency 10 concurrent calls allow
 * hundreds per second, so the Zoho task queue is not throttled (500/s) and the simulator enforces the concurrency.
 */
export const HUBSPOT_100_PER_10S: LimitProfile = {
  name: 'HubSpot 100 req/10 s and 5 searches/s, Zoho 10 concurrent; task queues HubSpot 50/s, Zoho 500/s',
  env: { HUBSPOT_ACTIVITIES_PER_SECOND: '50', HUBSPOT_REQUESTS_PER_10S: '100', ZOHO_ACTIVITIES_PER_SECOND: '500' },
  hubspot: { rateLimit: { perTenSeconds: 100, searchPerSecond: 5 } },
  zoho: { maxConcurrentPerToken: 10 },
};
