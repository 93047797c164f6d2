import { Counter, Histogram, Registry } from 'prom-client';
import type { SystemName } from '../domain/records';

export interface IngressMetrics {
  registry: Registry;
  received(source: SystemName): void;
  accepted(source: SystemName, events: number, signalMs: number): void;
  rejected(source: SystemName, reason: string): void;
}

export function createIngressMetrics(registry = new Registry()): IngressMetrics {
  const received = new Counter({ name: 'crm_sync_webhooks_received_total', help: 'Webhook requests received', labelNames: ['source'], registers: [registry] });
  const accepted = new Counter({ name: 'crm_sync_webhook_events_accepted_total', help: 'Record changes handed to Temporal', labelNames: ['source'], registers: [registry] });
  const rejected = new Counter({ name: 'crm_sync_webhooks_rejected_total', help: 'Webhook requests refused, by reason', labelNames: ['source', 'reason'], registers: [registry] });
  const signalLatency = new Histogram({
    name: 'crm_sync_signal_latency_seconds',
    help: 'Time for Temporal to accept all changes of one webhook request',
    labelNames: ['source'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    received: (source) => received.inc({ source }),
    accepted: (source, events, signalMs) => {
      accepted.inc({ source }, events);
      signalLatency.observe({ source }, signalMs / 1000);
    },
    rejected: (source, reason) => rejected.inc({ source, reason }),
  };
}
