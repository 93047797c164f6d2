export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** Milliseconds until the oldest counted request leaves the window. */
  retryAfterMs: number;
}

/**
 * Rolling (sliding-log) window per key: a request is allowed when fewer than `limit` accepted requests
 * happened in the last `windowMs`. Only accepted requests are logged, so a client that backs off recovers
 * as soon as the window slides, which is how HubSpot's TEN_SECONDLY_ROLLING policy behaves.
 */
export class RollingWindowLimiter {
  private readonly logs = new Map<string, number[]>();

  constructor(
    private limit: number,
    private windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  configure(limit: number, windowMs: number = this.windowMs): void {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  take(key: string): RateDecision {
    const now = this.now();
    const log = this.prune(key, now);
    if (log.length >= this.limit) {
      const oldest = log[0] ?? now;
      return { allowed: false, limit: this.limit, remaining: 0, retryAfterMs: Math.max(0, oldest + this.windowMs - now) };
    }
    log.push(now);
    return { allowed: true, limit: this.limit, remaining: this.limit - log.length, retryAfterMs: 0 };
  }

  /** What take() would say, without consuming. */
  peek(key: string): RateDecision {
    const now = this.now();
    const log = this.prune(key, now);
    const remaining = Math.max(0, this.limit - log.length);
    const oldest = log[0] ?? now;
    return { allowed: remaining > 0, limit: this.limit, remaining, retryAfterMs: remaining > 0 ? 0 : oldest + this.windowMs - now };
  }

  reset(): void {
    this.logs.clear();
  }

  private prune(key: string, now: number): number[] {
    let log = this.logs.get(key);
    if (!log) {
      log = [];
      this.logs.set(key, log);
    }
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < log.length && (log[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) log.splice(0, drop);
    return log;
  }
}
