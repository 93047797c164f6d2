import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

const rate = z.number().min(0).max(1);

/** Body of POST /_sim/faults; any subset may be sent and is merged into the current settings. */
export const FaultSettings = z
  .object({
    errorRate: rate.describe('fraction of real-API requests answered with a 5xx'),
    rateLimitRate: rate.describe('fraction of real-API requests answered with a 429'),
    latencyMs: z.number().int().min(0).max(120_000).describe('added delay before every real-API request'),
    timeoutRate: rate.describe('fraction of real-API requests never answered'),
    outage: z.boolean().describe('answer every real-API request with 503'),
    webhookDuplicateRate: rate.describe('fraction of outbound webhook events delivered twice'),
    webhookReorder: z.boolean().describe('shuffle outbound events within and between batches'),
    webhookDropRate: rate.describe('fraction of outbound webhook events never delivered (lost before the first attempt)'),
  })
  .strict();
export type FaultSettings = z.infer<typeof FaultSettings>;

export const NO_FAULTS: FaultSettings = {
  errorRate: 0,
  rateLimitRate: 0,
  latencyMs: 0,
  timeoutRate: 0,
  outage: false,
  webhookDuplicateRate: 0,
  webhookReorder: false,
  webhookDropRate: 0,
};

/**
 * One simulator's fault dials: partial updates merged into the current settings (validated by its schema, so a bad
 * body is answered 400), cleared at once, and the dice the faults are rolled with.
 */
export class FaultDials<S extends z.ZodObject> {
  private current: z.output<S>;

  constructor(
    private readonly schema: S,
    private readonly none: z.output<S>,
    private readonly random: () => number = Math.random,
  ) {
    this.current = { ...none };
  }

  get(): z.output<S> {
    return { ...this.current };
  }

  /** Merges a partial update; throws a ZodError on invalid input so the caller can answer 400. */
  update(input: unknown): z.output<S> {
    const patch = this.schema.partial().parse(input ?? {}) as Partial<z.output<S>>;
    this.current = { ...this.current, ...patch };
    return this.get();
  }

  clear(): void {
    this.current = { ...this.none };
  }

  pick<T>(items: readonly [T, ...T[]]): T {
    return items[Math.floor(this.random() * items.length)] ?? items[0];
  }

  /** True with the given probability (0 never, 1 always). */
  roll(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }
}

/** The CRM simulators' dials. */
export class FaultState extends FaultDials<typeof FaultSettings> {
  constructor(random: () => number = Math.random) {
    super(FaultSettings, NO_FAULTS, random);
  }
}

/** What the request-fault middleware reads, whatever else a simulator's dials hold. */
export interface RequestFaults {
  outage: boolean;
  latencyMs: number;
  timeoutRate: number;
  errorRate: number;
  /** a simulator of an API that never throttles has none */
  rateLimitRate?: number;
}

export type FaultKind = 'outage' | 'error' | 'rateLimit';

export interface FaultResponders {
  isExempt(req: Request): boolean;
  /** Writes the CRM-specific body for an injected failure; status is 503 for outages, a 5xx otherwise. */
  respond(kind: FaultKind, res: Response, status: number): void;
}

const SERVER_ERRORS = [500, 502, 503, 504] as const;

/**
 * Applies fault settings to non-exempt requests, in the order a real outage would be felt: unreachable
 * service first, then latency, then a hung request, then a failed or throttled one.
 */
export function faultMiddleware(faults: { get(): RequestFaults; roll(p: number): boolean; pick<T>(items: readonly [T, ...T[]]): T }, responders: FaultResponders) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (responders.isExempt(req)) {
      next();
      return;
    }
    const settings = faults.get();
    if (settings.outage) {
      responders.respond('outage', res, 503);
      return;
    }
    const proceed = (): void => {
      if (faults.roll(settings.timeoutRate)) return; // never answered; the socket is destroyed on close()
      if (faults.roll(settings.errorRate)) {
        responders.respond('error', res, faults.pick(SERVER_ERRORS));
        return;
      }
      if (faults.roll(settings.rateLimitRate ?? 0)) {
        responders.respond('rateLimit', res, 429);
        return;
      }
      next();
    };
    if (settings.latencyMs > 0) setTimeout(proceed, settings.latencyMs);
    else proceed();
  };
}
