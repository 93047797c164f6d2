import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { sendError } from './errors';

const rate = z.number().min(0).max(1);

/** Body of POST /_sim/faults; any subset may be sent and is merged into the current settings. */
export const ShopFaultSettings = z
  .object({
    errorRate: rate.describe('fraction of read-API requests answered with a 5xx'),
    latencyMs: z.number().int().min(0).max(120_000).describe('added delay before every read-API request'),
    timeoutRate: rate.describe('fraction of read-API requests never answered'),
    outage: z.boolean().describe('answer every read-API request with 503'),
    eventDuplicateRate: rate.describe('fraction of events published twice (same CloudEvents id)'),
    eventDropRate: rate.describe('fraction of events never published (like a webhook a CRM drops)'),
    eventDelayMs: z.number().int().min(0).max(600_000).describe('every event is published this much later'),
    eventReorder: z.boolean().describe('events collected over reorderWindowMs are published newest first'),
    replyDropRate: rate.describe('fraction of command replies never sent (the command itself is applied)'),
  })
  .strict();
export type ShopFaultSettings = z.infer<typeof ShopFaultSettings>;

const NO_FAULTS: ShopFaultSettings = {
  errorRate: 0,
  latencyMs: 0,
  timeoutRate: 0,
  outage: false,
  eventDuplicateRate: 0,
  eventDropRate: 0,
  eventDelayMs: 0,
  eventReorder: false,
  replyDropRate: 0,
};

export class ShopFaults {
  private current: ShopFaultSettings = { ...NO_FAULTS };

  constructor(private readonly random: () => number) {}

  get(): ShopFaultSettings {
    return { ...this.current };
  }

  /** Throws a ZodError on invalid input (answered 400). */
  update(input: unknown): ShopFaultSettings {
    this.current = { ...this.current, ...ShopFaultSettings.partial().parse(input ?? {}) };
    return this.get();
  }

  clear(): void {
    this.current = { ...NO_FAULTS };
  }

  pick<T>(items: readonly [T, ...T[]]): T {
    return items[Math.floor(this.random() * items.length)] ?? items[0];
  }

  /** True with the given probability (0 never, 1 always). */
  roll(probability: number): boolean {
    return probability > 0 && this.random() < probability;
  }
}

const SERVER_ERRORS = [500, 502, 503, 504] as const;

/** Read-API faults in the order an outage is felt: unreachable, slow, hung, failing. */
export function readFaults(faults: ShopFaults) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const settings = faults.get();
    if (settings.outage) {
      sendError(res, 503, 'unavailable', 'The shop is down for maintenance');
      return;
    }
    const proceed = (): void => {
      if (faults.roll(settings.timeoutRate)) return; // never answered; close() destroys the socket
      if (faults.roll(settings.errorRate)) {
        const status = faults.pick(SERVER_ERRORS);
        sendError(res, status, status === 503 ? 'unavailable' : 'internal', 'Injected server error');
        return;
      }
      next();
    };
    if (settings.latencyMs > 0) setTimeout(proceed, settings.latencyMs);
    else proceed();
  };
}
