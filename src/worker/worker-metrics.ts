import { Counter, Histogram, Registry } from 'prom-client';
import type { CrmCallObserver } from '../connectors/types';

/** Metrics of the worker's CRM traffic. Sync outcomes come from the workflows, through the SDK's own exporter. */
export function createWorkerMetrics(registry = new Registry()): { registry: Registry; observer: CrmCallObserver } {
  const calls = new Counter({ name: 'crm_sync_crm_calls_total', help: 'CRM API calls by system, operation and HTTP status', labelNames: ['system', 'operation', 'status'], registers: [registry] });
  const rateLimited = new Counter({ name: 'crm_sync_crm_rate_limited_total', help: 'CRM answers 429', labelNames: ['system'], registers: [registry] });
  const duration = new Histogram({
    name: 'crm_sync_crm_call_seconds',
    help: 'CRM API call duration',
    labelNames: ['system'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const refreshes = new Counter({ name: 'crm_sync_token_refreshes_total', help: 'OAuth access token refreshes', labelNames: ['system', 'ok'], registers: [registry] });
  return {
    registry,
    observer: {
      onCall: ({ system, operation, status, durationMs }) => {
        calls.inc({ system, operation, status: String(status) });
        if (status === 429) rateLimited.inc({ system });
        duration.observe({ system }, durationMs / 1000);
      },
      onTokenRefresh: ({ system, ok }) => refreshes.inc({ system, ok: String(ok) }),
    },
  };
}
