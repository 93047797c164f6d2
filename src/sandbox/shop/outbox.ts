import type { Publisher } from 'rabbitmq-client';
import { CLOUDEVENTS_JSON, type CloudEvent } from './cloud-events';
import type { ShopFaults } from './faults';
import type { MessageStats } from './stats';

export interface Outgoing {
  exchange: string;
  routingKey: string;
  event: CloudEvent;
}

const RETRY_MS = 250;

/**
 * Everything the shop publishes, in order, through one confirming channel: a message counts as sent once the broker
 * confirmed it, and one the broker refused (or could not take while the connection was down) is tried again, so a
 * change is announced at least once, like a shop with a transactional outbox. Event faults act before the queue:
 * drop, duplicate, delay, and reorder (hold a window's events and release them newest first).
 */
export class Outbox {
  private readonly queue: Outgoing[] = [];
  private readonly held: Outgoing[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private pumping = false;
  /** Bumped by clear(): a publish confirmed after a reset is not counted in the new stats. */
  private generation = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly publisher: Publisher,
    private readonly faults: ShopFaults,
    private readonly stats: MessageStats,
    private readonly reorderWindowMs: number,
  ) {}

  /** An event about a change, subject to the event faults. */
  event(message: Outgoing): void {
    const settings = this.faults.get();
    if (this.faults.roll(settings.eventDropRate)) {
      this.stats.events.dropped += 1;
      return;
    }
    const copies = this.faults.roll(settings.eventDuplicateRate) ? 2 : 1;
    if (copies === 2) this.stats.events.duplicated += 1;
    for (let i = 0; i < copies; i += 1) {
      if (settings.eventDelayMs > 0) {
        this.stats.events.delayed += 1;
        this.later(settings.eventDelayMs, () => this.route(message));
      } else this.route(message);
    }
  }

  /** A reply to a command: not subject to event faults (lost replies are decided by the command handler). */
  reply(message: Outgoing): void {
    this.enqueue(message);
  }

  /** Resolves once nothing is held, delayed, queued or awaiting a confirm. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forgets unsent messages (POST /_sim/reset). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held.length = 0;
    this.queue.length = 0;
    this.generation += 1;
    this.settle();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    await this.publisher.close();
  }

  private route(message: Outgoing): void {
    if (!this.faults.get().eventReorder) {
      this.enqueue(message);
      return;
    }
    if (this.held.length === 0) {
      this.later(this.reorderWindowMs, () => {
        const window = this.held.splice(0).reverse();
        for (const item of window) this.enqueue(item);
      });
    }
    this.held.push(message);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
      this.settle();
    }, ms);
    this.timers.add(timer);
  }

  private enqueue(message: Outgoing): void {
    if (this.closed) return;
    this.queue.push(message);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    while (this.queue.length > 0 && !this.closed) {
      const next = this.queue[0];
      if (!next) break;
      const generation = this.generation;
      try {
        await this.publisher.send(
          { exchange: next.exchange, routingKey: next.routingKey, messageId: next.event.id, type: next.event.type, contentType: CLOUDEVENTS_JSON, contentEncoding: 'utf-8', correlationId: next.event.correlationid, durable: true, timestamp: Math.floor(Date.now() / 1000) },
          Buffer.from(JSON.stringify(next.event), 'utf8'),
        );
        // clear() may have emptied the queue while the confirm was awaited.
        if (this.queue[0] === next) this.queue.shift();
        if (generation !== this.generation) continue;
        if (next.event.correlationid === undefined) this.stats.events.published += 1;
        else this.stats.replies.sent += 1;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
    this.pumping = false;
    this.settle();
  }

  private isIdle(): boolean {
    return !this.pumping && this.queue.length === 0 && this.held.length === 0 && this.timers.size === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
