import type { NextFunction, Request, Response } from 'express';
import { routePatternOf } from './route';

/** Wire shape of GET /_sim/stats, shared by both simulators. */
export interface SimStatsSnapshot {
  requests: { total: number; byRoute: Record<string, number> };
  writes: number;
  /** Records an update refused because they were modified after its If-Unmodified-Since (Zoho's ALREADY_MODIFIED). */
  conditionalRefusals: number;
  status: { '401': number; '429': number; '5xx': number };
  tokensIssued: number;
  /**
   * `queued`, unlike the counts, is what stands now: events (Zoho: callbacks) taken for delivery and not yet delivered
   * or given up on. A receiver slower than the CRM's edits shows as a queue that grows.
   */
  webhooks: { delivered: number; failed: number; retried: number; dropped: number; queued: number };
}

export class SimStats {
  private total = 0;
  private byRoute = new Map<string, number>();
  private writes = 0;
  private conditionalRefusals = 0;
  private unauthorized = 0;
  private limited = 0;
  private serverErrors = 0;
  private tokens = 0;
  private delivered = 0;
  private failed = 0;
  private retried = 0;
  private dropped = 0;
  private queued = 0;

  request(pattern: string): void {
    this.total += 1;
    this.byRoute.set(pattern, (this.byRoute.get(pattern) ?? 0) + 1);
  }

  status(code: number): void {
    if (code === 401) this.unauthorized += 1;
    else if (code === 429) this.limited += 1;
    else if (code >= 500) this.serverErrors += 1;
  }

  /** Successful record mutations through the real API (one per record written). */
  write(count = 1): void {
    this.writes += count;
  }

  conditionalRefusal(): void {
    this.conditionalRefusals += 1;
  }

  tokenIssued(): void {
    this.tokens += 1;
  }

  webhookDelivered(count = 1): void {
    this.delivered += count;
  }

  webhookFailed(count = 1): void {
    this.failed += count;
  }

  webhookRetried(count = 1): void {
    this.retried += count;
  }

  /** Events the webhookDropRate fault swallowed. */
  webhookDropped(count = 1): void {
    this.dropped += count;
  }

  webhookQueued(delta: number): void {
    this.queued += delta;
  }

  /** Zeroes the counts; `queued` stays, since it says what is still to be delivered. */
  reset(): void {
    this.total = 0;
    this.byRoute.clear();
    this.writes = 0;
    this.conditionalRefusals = 0;
    this.unauthorized = 0;
    this.limited = 0;
    this.serverErrors = 0;
    this.tokens = 0;
    this.delivered = 0;
    this.failed = 0;
    this.retried = 0;
    this.dropped = 0;
  }

  snapshot(): SimStatsSnapshot {
    return {
      requests: { total: this.total, byRoute: Object.fromEntries(this.byRoute) },
      writes: this.writes,
      conditionalRefusals: this.conditionalRefusals,
      status: { '401': this.unauthorized, '429': this.limited, '5xx': this.serverErrors },
      tokensIssued: this.tokens,
      webhooks: { delivered: this.delivered, failed: this.failed, retried: this.retried, dropped: this.dropped, queued: this.queued },
    };
  }
}

/**
 * Counts every request that is not exempt (admin routes) once its response is finished, keyed by the
 * pattern route() recorded, or "METHOD (unmatched)" for 404s. Requests a fault left hanging are counted
 * when their socket closes.
 */
export function statsMiddleware(stats: SimStats, isExempt: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isExempt(req)) {
      next();
      return;
    }
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      stats.request(routePatternOf(res) ?? `${req.method} (unmatched)`);
      if (res.headersSent) stats.status(res.statusCode);
    };
    res.on('finish', count);
    res.on('close', count);
    next();
  };
}
