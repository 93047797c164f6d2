import type { NextFunction, Request, Response } from 'express';
import { tokenOf } from './auth';
import { type ZohoErrorBody, zohoError } from './errors';
import type { ZohoSimulatorOptions } from './options';

const MESSAGES = {
  TOO_MANY_REQUESTS:
    'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
  RATE_LIMIT_EXCEEDED: 'Too many requests. Please try again later.',
} as const;

export function rateLimitBody(options: ZohoSimulatorOptions): ZohoErrorBody {
  return zohoError(options.rateLimitCode, MESSAGES[options.rateLimitCode]);
}

/** Zoho's credit table: writes cost 1 per 10 records (max 10), COQL by LIMIT, everything else 1. */
export function creditCost(req: Request): number {
  const body: unknown = req.body;
  const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
  if ((req.method === 'POST' || req.method === 'PUT') && Array.isArray(data)) return Math.min(10, Math.max(1, Math.ceil(data.length / 10)));
  const query: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'select_query') : undefined;
  if (typeof query === 'string') {
    const m = /\blimit\s+(\d+)(?:\s*,\s*(\d+))?/i.exec(query);
    const limit = Number(m?.[2] ?? m?.[1] ?? 200);
    return limit <= 200 ? 1 : limit <= 1000 ? 2 : 3;
  }
  return 1;
}

/**
 * Concurrency per access token and API credits over a rolling window (per org). Both answer 429 with
 * Zoho's body; Zoho documents no Retry-After, so none is sent. X-API-CREDITS-REMAINING appears once half
 * the credits are used.
 */
export class ApiLimits {
  private readonly inFlight = new Map<string, number>();
  private log: Array<{ at: number; credits: number }> = [];
  private head = 0;
  private used = 0;

  constructor(private readonly options: ZohoSimulatorOptions) {}

  reset(): void {
    this.inFlight.clear();
    this.log = [];
    this.head = 0;
    this.used = 0;
  }

  middleware(isExempt: (req: Request) => boolean) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (isExempt(req)) {
        next();
        return;
      }
      const token = tokenOf(res);
      const running = this.inFlight.get(token) ?? 0;
      const cost = creditCost(req);
      if (running >= this.options.maxConcurrentPerToken || this.usedCredits() + cost > this.options.dailyCredits) {
        res.status(429).json(rateLimitBody(this.options));
        return;
      }
      this.inFlight.set(token, running + 1);
      this.charge(cost);
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        const n = (this.inFlight.get(token) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(token);
        else this.inFlight.set(token, n);
      };
      res.on('finish', release);
      res.on('close', release);
      const header = this.options.creditsRemainingHeader;
      if (header && this.used * 2 >= this.options.dailyCredits) res.setHeader(header, String(Math.max(0, this.options.dailyCredits - this.used)));
      next();
    };
  }

  private charge(credits: number): void {
    this.log.push({ at: Date.now(), credits });
    this.used += credits;
  }

  private usedCredits(): number {
    const cutoff = Date.now() - this.options.creditWindowMs;
    while (this.head < this.log.length && (this.log[this.head]?.at ?? Infinity) <= cutoff) {
      this.used -= this.log[this.head]?.credits ?? 0;
      this.head += 1;
    }
    if (this.head > 10_000) {
      this.log = this.log.slice(this.head);
      this.head = 0;
    }
    return this.used;
  }
}
