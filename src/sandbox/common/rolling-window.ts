/** What the simulated CRM answers a request under a rolling-window limit. */
export interface WindowVerdict {
  admitted: boolean;
  limit: number;
  /** requests the caller may still make in the window, this one included if admitted */
  remaining: number;
}

/**
 * A limit a CRM enforces over a rolling window, per caller: HubSpot's TEN_SECONDLY_ROLLING policy (so many requests in
 * any 10 seconds per app and account) and its per-second search limit, Zoho's access tokens per refresh token in ten
 * minutes. A request is admitted when the caller had fewer than `limit` admitted requests in the `windowMs` before it.
 * Refused requests are not counted: a client that backs off, as both CRMs advise, gets through once the window slides.
 *
 * The simulators' own, on purpose: the connectors pace themselves with a limiter of their own, and a fake CRM that
 * shared its code would agree with it even where it is wrong.
 */
export class RollingWindow {
  private readonly admittedAt = new Map<string, number[]>();

  constructor(
    private limit: number,
    private windowMs: number,
  ) {}

  /** Tests tighten a running simulator's limits; the callers apply them before each request. */
  resize(limit: number, windowMs: number = this.windowMs): void {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  admit(caller: string): WindowVerdict {
    const now = Date.now();
    const inWindow = (this.admittedAt.get(caller) ?? []).filter((at) => now - at < this.windowMs);
    const admitted = inWindow.length < this.limit;
    if (admitted) inWindow.push(now);
    this.admittedAt.set(caller, inWindow);
    return { admitted, limit: this.limit, remaining: Math.max(0, this.limit - inWindow.length) };
  }

  forget(): void {
    this.admittedAt.clear();
  }
}
