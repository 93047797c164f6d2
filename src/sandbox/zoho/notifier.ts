import type { FaultState } from '../common/faults';
import type { SimStats } from '../common/stats';
import { WebhookQueue } from '../common/webhook-queue';
import type { ModuleName } from './fields';
import type { ZohoSimulatorOptions } from './options';
import type { JsonValue } from './record-view';
import { type Channel, type ChannelStore, channelWants } from './watch-store';
import type { Operation, RecordChange } from './writer';

/** The body Zoho POSTs to notify_url (https://www.zoho.com/crm/developer/docs/api/v7/notifications/enable.html). */
export interface ZohoCallback {
  server_time: number;
  query_params: Record<string, string>;
  module: ModuleName;
  resource_uri: string;
  ids: string[];
  /** UNCONFIRMED shape (options.affectedFieldsFormat); [] for insert/delete. */
  affected_fields: Array<Record<string, string[]>> | string[];
  operation: Operation;
  channel_id: string;
  token: string | null;
  affected_values?: Array<{ record_id: string; values: Record<string, JsonValue> }>;
}

interface Run {
  module: ModuleName;
  operation: Operation;
  ids: string[];
  fields: Map<string, Set<string>>;
  values: Map<string, Record<string, JsonValue>>;
}

/**
 * Turns record changes into callbacks per channel. Changes gathered during notifyBatchMs are cut into runs
 * of the same module+operation (so per-record order insert → update → delete is never inverted), each run
 * becoming one callback with all its ids. Callbacks go out one at a time per channel through the shared
 * WebhookQueue, which applies retries, duplicate and reorder faults.
 */
export class Notifier {
  private readonly buffers = new Map<string, RecordChange[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queues = new Map<string, WebhookQueue<ZohoCallback>>();

  constructor(
    private readonly channels: ChannelStore,
    private readonly options: ZohoSimulatorOptions,
    private readonly faults: FaultState,
    private readonly stats: SimStats,
    private readonly apiDomain: () => string,
  ) {}

  onChange(change: RecordChange): void {
    for (const channel of this.channels.active()) {
      if (!channelWants(channel, change.module, change.operation)) continue;
      const buffer = this.buffers.get(channel.channel_id) ?? [];
      buffer.push(change);
      this.buffers.set(channel.channel_id, buffer);
      if (!this.timers.has(channel.channel_id)) {
        this.timers.set(channel.channel_id, setTimeout(() => this.flush(channel.channel_id), this.options.notifyBatchMs));
      }
    }
  }

  /** Sends what is buffered now and resolves once every callback is delivered or given up on. */
  async idle(): Promise<void> {
    for (const [channelId, timer] of [...this.timers]) {
      clearTimeout(timer);
      this.flush(channelId);
    }
    await Promise.all([...this.queues.values()].map((q) => q.idle()));
  }

  /** Drops everything pending (reset). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.buffers.clear();
    for (const queue of this.queues.values()) queue.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.buffers.clear();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private flush(channelId: string): void {
    this.timers.delete(channelId);
    const changes = this.buffers.get(channelId) ?? [];
    this.buffers.delete(channelId);
    const channel = this.channels.get(channelId);
    if (!channel || changes.length === 0) return;
    const callbacks = toRuns(changes).map((run) => this.render(channel, run));
    this.queue(channelId).enqueue(callbacks);
  }

  private render(channel: Channel, run: Run): ZohoCallback {
    const url = new URL(channel.notify_url);
    const callback: ZohoCallback = {
      server_time: Date.now(),
      query_params: Object.fromEntries(url.searchParams),
      module: run.module,
      resource_uri: `${this.apiDomain()}/crm/v8/${run.module}`,
      ids: run.ids,
      affected_fields: run.operation === 'update' ? this.affectedFields(run) : [],
      operation: run.operation,
      channel_id: channel.channel_id,
      token: channel.token,
    };
    if (channel.return_affected_field_values) {
      callback.affected_values = run.operation === 'delete' ? [] : run.ids.map((id) => ({ record_id: id, values: run.values.get(id) ?? {} }));
    }
    return callback;
  }

  private affectedFields(run: Run): ZohoCallback['affected_fields'] {
    switch (this.options.affectedFieldsFormat) {
      case 'per-record':
        return run.ids.map((id) => ({ [id]: [...(run.fields.get(id) ?? [])] }));
      case 'names':
        return [...new Set(run.ids.flatMap((id) => [...(run.fields.get(id) ?? [])]))];
      case 'empty':
        return [];
    }
  }

  private queue(channelId: string): WebhookQueue<ZohoCallback> {
    let queue = this.queues.get(channelId);
    if (queue) return queue;
    const options = this.options;
    queue = new WebhookQueue<ZohoCallback>({
      target: () => this.channels.get(channelId)?.notify_url ?? null,
      batchDelayMs: 0,
      maxBatchSize: 1,
      timeoutMs: this.options.notifyTimeoutMs,
      // Read at each delivery, so that setting notifyRetries (0: each notification delivered once) applies at once.
      get maxAttempts() {
        return options.notifyRetries + 1;
      },
      backoffBaseMs: this.options.notifyRetryBaseMs,
      backoffMaxMs: 60_000,
      maxConcurrentRequests: 1,
      // UNCONFIRMED: Zoho documents no retry policy; every non-2xx answer and network error is retried.
      isRetryable: () => true,
      render: (events) => ({ body: JSON.stringify(events[0] ?? {}), headers: { 'content-type': 'application/json' } }),
      faults: () => {
        const f = this.faults.get();
        return { duplicateRate: f.webhookDuplicateRate, reorder: f.webhookReorder, dropRate: f.webhookDropRate };
      },
      counters: this.stats,
    });
    this.queues.set(channelId, queue);
    return queue;
  }
}

function toRuns(changes: readonly RecordChange[]): Run[] {
  const runs: Run[] = [];
  for (const change of changes) {
    let run = runs[runs.length - 1];
    if (!run || run.module !== change.module || run.operation !== change.operation) {
      run = { module: change.module, operation: change.operation, ids: [], fields: new Map(), values: new Map() };
      runs.push(run);
    }
    if (!run.fields.has(change.id)) {
      run.ids.push(change.id);
      run.fields.set(change.id, new Set());
      run.values.set(change.id, {});
    }
    for (const f of change.changedFields) run.fields.get(change.id)?.add(f);
    Object.assign(run.values.get(change.id) ?? {}, change.values);
  }
  return runs;
}
