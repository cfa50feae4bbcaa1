/**
 * Retries calls that SSM rejected with ThrottlingException, with exponential backoff and full
 * jitter (a random delay in [0, min(cap, base·2^attempt)]), so concurrent clients spread out
 * instead of retrying in lockstep. Only throttling is retried: a throttled request was not
 * executed, so repeating it is safe even for writes.
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000 };

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = (error as { name?: string }).name;
  return (
    name === "ThrottlingException" || name === "TooManyRequestsException" || name === "RequestLimitExceeded"
  );
}

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export async function retryThrottled<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  onRetry?: (attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt + 1 >= policy.maxAttempts) throw error;
      const delay = backoffDelay(attempt, policy);
      onRetry?.(attempt + 1, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
