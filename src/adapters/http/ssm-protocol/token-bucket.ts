/**
 * A token bucket that makes the local endpoint throttle like SSM (which allows tens of
 * transactions per second per account), so clients' backoff can be exercised for real.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    /** Sustained requests per second. */
    readonly ratePerSecond: number,
    /** Requests allowed in a burst above the sustained rate. */
    readonly burst: number = ratePerSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token if available. */
  tryTake(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
