import type { SimStats } from '../common/stats';

/** Messaging counters beside the request counters the CRM simulators keep. */
export class MessageStats {
  events = { published: 0, duplicated: 0, dropped: 0, delayed: 0 };
  commands = { received: 0, applied: 0, rejected: 0 };
  replies = { sent: 0, dropped: 0 };

  reset(): void {
    this.events = { published: 0, duplicated: 0, dropped: 0, delayed: 0 };
    this.commands = { received: 0, applied: 0, rejected: 0 };
    this.replies = { sent: 0, dropped: 0 };
  }
}

/**
 * GET /_sim/stats: `requests` and `status` as the CRM simulators report them (read API only), `writes` = records
 * changed by commands, and the messaging counters (`events.published` counts publishes confirmed by the broker,
 * duplicates included).
 */
export function statsSnapshot(http: SimStats, messages: MessageStats) {
  const { requests, status, writes } = http.snapshot();
  return { requests, status: { '401': status['401'], '5xx': status['5xx'] }, writes, events: { ...messages.events }, commands: { ...messages.commands }, replies: { ...messages.replies } };
}
