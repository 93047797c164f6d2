/**
 * Wall-clock milliseconds that never repeat or go backwards, so modification stamps can serve as
 * version numbers even when many writes land in the same millisecond.
 */
export class MonotonicClock {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): number {
    const candidate = this.now();
    this.last = candidate > this.last ? candidate : this.last + 1;
    return this.last;
  }

  /** Makes sure later stamps are above `ms` (after loading a snapshot). */
  advanceTo(ms: number): void {
    if (ms > this.last) this.last = ms;
  }
}
