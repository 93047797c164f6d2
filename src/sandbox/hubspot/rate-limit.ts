import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RollingWindow } from '../common/rolling-window';
import { bearerToken } from './auth';
import { sendJson } from './errors';
import type { HubspotRateLimitOptions } from './options';

const TEN_SECONDS = 10_000;

export function isSearch(req: Request): boolean {
  return req.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(req.path);
}

/** The real 429 bodies; the official client retries on exactly this policyName / message. */
export function tenSecondlyBody(appId: number): Record<string, string> {
  return {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: 'TEN_SECONDLY_ROLLING',
    groupName: `publicapi:oauth-api-calls-ten-secondly:${appId}`,
  };
}

export function secondlyBody(): Record<string, string> {
  return {
    status: 'error',
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: 'SECONDLY',
    requestId: randomUUID(),
  };
}

export class HubspotRateLimits {
  readonly tenSecondly: RollingWindow;
  readonly search: RollingWindow;

  constructor(private readonly limits: HubspotRateLimitOptions) {
    this.tenSecondly = new RollingWindow(limits.perTenSeconds, TEN_SECONDS);
    this.search = new RollingWindow(limits.searchPerSecond, 1000);
  }

  reset(): void {
    this.tenSecondly.resize(this.limits.perTenSeconds);
    this.search.resize(this.limits.searchPerSecond);
    this.tenSecondly.forget();
    this.search.forget();
  }

  /**
   * Search has its own per-second bucket and is exempt from the ten-secondly one (per the spec's
   * x-hubspot-rate-limit-exemptions). Daily headers are omitted: HubSpot leaves them off OAuth calls.
   */
  middleware(appId: number) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const key = bearerToken(req) ?? 'anonymous';
      // Re-read the limits each time so tests can tighten them on a running simulator.
      this.tenSecondly.resize(this.limits.perTenSeconds);
      this.search.resize(this.limits.searchPerSecond);
      if (isSearch(req)) {
        const decision = this.search.admit(key);
        res.setHeader('X-HubSpot-RateLimit-Secondly', String(decision.limit));
        res.setHeader('X-HubSpot-RateLimit-Secondly-Remaining', String(decision.remaining));
        if (!decision.admitted) {
          sendJson(res, 429, secondlyBody());
          return;
        }
        next();
        return;
      }
      const decision = this.tenSecondly.admit(key);
      res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(TEN_SECONDS));
      res.setHeader('X-HubSpot-RateLimit-Max', String(decision.limit));
      res.setHeader('X-HubSpot-RateLimit-Remaining', String(decision.remaining));
      if (!decision.admitted) {
        sendJson(res, 429, tenSecondlyBody(appId));
        return;
      }
      next();
    };
  }
}
