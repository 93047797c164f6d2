import { Counter, type Registry } from 'prom-client';
import type { SystemName } from '../../../domain/records';

/** What became of a message taken from a queue (the message stays counted once, however often it was delivered). */
export type MessageOutcome = 'accepted' | 'replied' | 'late-reply' | 'dead-lettered';

export interface BrokerMetrics {
  message(queue: string, outcome: MessageOutcome): void;
  /** a hand-over to Temporal that failed and will be tried again (the message stays unacknowledged meanwhile) */
  handOverRetry(): void;
}

/** In the style of the webhook ingress's metrics; several listeners of one process share the counters by label. */
export function createBrokerMetrics(system: SystemName, registry: Registry): BrokerMetrics {
  const messages = counter(registry, 'crm_sync_broker_messages_total', 'Messages taken from a broker queue, by what became of them', ['system', 'queue', 'outcome']);
  const retries = counter(registry, 'crm_sync_broker_handover_retries_total', 'Hand-overs of a broker message to Temporal that failed and are retried', ['system']);
  return {
    message: (queue, outcome) => messages.inc({ system, queue, outcome }),
    handOverRetry: () => retries.inc({ system }),
  };
}

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? existing : new Counter({ name, help, labelNames, registers: [registry] });
}
