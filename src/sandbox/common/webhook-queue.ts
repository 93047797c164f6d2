export interface OutboundRequest {
  body: string;
  headers: Record<string, string>;
}

export interface DeliveryCounters {
  webhookDelivered(count: number): void;
  webhookFailed(count: number): void;
  webhookRetried(count: number): void;
  webhookDropped(count: number): void;
  /** Events taken for delivery (positive) or done with: delivered, given up on or cleared (negative). */
  webhookQueued(delta: number): void;
}

export interface WebhookQueueOptions<E> {
  /** Where to POST; null means "no subscriber", and events are dropped like a real CRM with no target. */
  target(): string | null;
  /** Events enqueued within this window travel in one request. */
  batchDelayMs: number;
  maxBatchSize: number;
  timeoutMs: number;
  /** Total attempts per batch, the first included. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxConcurrentRequests: number;
  /** Serialises and signs one request; attempt counts from 0. */
  render(events: readonly E[], attempt: number, url: string): OutboundRequest;
  /** Whether a non-2xx status is worth another attempt. */
  isRetryable(status: number): boolean;
  faults(): { duplicateRate: number; reorder: boolean; dropRate: number };
  counters?: DeliveryCounters;
  random?: () => number;
  /** Called once per finished request, for logs and tests. */
  onAttempt?(result: { url: string; events: readonly E[]; attempt: number; status: number | null; error?: string }): void;
}

/** HubSpot's documented no-retry list; everything else that is not 2xx is retried. */
const NO_RETRY = new Set([400, 401, 403, 404, 405]);
export function retryUnlessClientError(status: number): boolean {
  return !NO_RETRY.has(status);
}

interface Batch<E> {
  events: E[];
  attempt: number;
}

/**
 * Outbound webhook delivery with batching, bounded concurrency, timeouts and exponential backoff.
 * Retries resend the same events with the next attempt number, so receivers can deduplicate by event id.
 */
export class WebhookQueue<E> {
  private pending: E[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ready: Batch<E>[] = [];
  private readonly inFlight = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  /** Bumped by clear(), so requests aborted by it are neither retried nor counted. */
  private generation = 0;
  /** Events taken and neither delivered nor given up on yet: how far delivery lags, for the stats. */
  private outstanding = 0;
  private readonly random: () => number;

  constructor(private readonly options: WebhookQueueOptions<E>) {
    this.random = options.random ?? Math.random;
  }

  enqueue(events: readonly E[]): void {
    if (this.closed || events.length === 0 || this.options.target() === null) return;
    const { duplicateRate, dropRate } = this.options.faults();
    for (const event of events) {
      // A dropped event is lost for good, as when a CRM gives up or a broker loses a queue: only reconciliation finds it.
      if (dropRate > 0 && this.random() < dropRate) {
        this.options.counters?.webhookDropped(1);
        continue;
      }
      this.pending.push(event);
      this.taken(1);
      // A duplicate lands a little later, usually in another batch, as real at-least-once delivery does.
      if (duplicateRate > 0 && this.random() < duplicateRate) this.later(() => this.push([event]), this.options.batchDelayMs + 1);
    }
    this.scheduleFlush();
  }

  /** Resolves once nothing is pending, scheduled or in flight. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything not yet delivered. */
  clear(): void {
    this.generation += 1;
    this.taken(-this.outstanding);
    this.pending = [];
    this.ready.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const controller of this.inFlight) controller.abort();
    this.checkIdle();
  }

  close(): Promise<void> {
    this.closed = true;
    this.clear();
    return this.idle();
  }

  private push(events: E[]): void {
    if (this.closed) return;
    this.pending.push(...events);
    this.taken(events.length);
    this.scheduleFlush();
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
      this.checkIdle();
    }, ms);
    this.timers.add(timer);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.batchDelayMs);
  }

  private flush(): void {
    const { reorder } = this.options.faults();
    if (reorder) this.shuffle(this.pending);
    // With reordering on, part of the window is held back so order also breaks between batches.
    const holdBack = reorder && this.pending.length > 1 ? Math.floor(this.random() * (this.pending.length / 2)) : 0;
    const take = this.pending.splice(0, this.pending.length - holdBack);
    for (let i = 0; i < take.length; i += this.options.maxBatchSize) {
      this.ready.push({ events: take.slice(i, i + this.options.maxBatchSize), attempt: 0 });
    }
    if (this.pending.length > 0) this.scheduleFlush();
    this.pump();
    this.checkIdle();
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < this.options.maxConcurrentRequests && this.ready.length > 0) {
      const batch = this.ready.shift();
      if (batch) void this.send(batch);
    }
  }

  private async send(batch: Batch<E>): Promise<void> {
    const url = this.options.target();
    const counters = this.options.counters;
    if (url === null) {
      this.checkIdle();
      return;
    }
    const generation = this.generation;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status: number | null = null;
    let error: string | undefined;
    let retryAfterMs = 0;
    try {
      const request = this.options.render(batch.events, batch.attempt, url);
      const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, signal: controller.signal });
      status = response.status;
      retryAfterMs = Number(response.headers.get('retry-after') ?? '0') * 1000 || 0;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = controller.signal.aborted ? 'timeout' : caught instanceof Error ? caught.message : String(caught);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    if (generation !== this.generation) {
      this.checkIdle();
      return;
    }
    this.options.onAttempt?.({ url, events: batch.events, attempt: batch.attempt, status, error });
    const count = batch.events.length;
    if (status !== null && status >= 200 && status < 300) {
      counters?.webhookDelivered(count);
      this.taken(-count);
    } else if (!this.closed && batch.attempt + 1 < this.options.maxAttempts && (status === null || this.options.isRetryable(status))) {
      counters?.webhookRetried(count);
      const next: Batch<E> = { events: batch.events, attempt: batch.attempt + 1 };
      this.later(() => {
        this.ready.push(next);
        this.pump();
      }, Math.max(this.backoff(batch.attempt + 1), Math.min(retryAfterMs, this.options.backoffMaxMs)));
    } else {
      counters?.webhookFailed(count);
      this.taken(-count);
    }
    this.pump();
    this.checkIdle();
  }

  private taken(delta: number): void {
    if (delta === 0) return;
    this.outstanding += delta;
    this.options.counters?.webhookQueued(delta);
  }

  /** Exponential with ±25% jitter, as HubSpot documents "randomized delays". */
  private backoff(retry: number): number {
    const raw = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (retry - 1));
    return Math.round(raw * (0.75 + this.random() * 0.5));
  }

  private shuffle(items: E[]): void {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.random() * (i + 1));
      const a = items[i];
      const b = items[j];
      if (a === undefined || b === undefined) continue;
      items[i] = b;
      items[j] = a;
    }
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.ready.length === 0 && this.inFlight.size === 0 && this.timers.size === 0 && this.flushTimer === null;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
