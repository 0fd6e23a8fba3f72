/**
 * How long to wait before the next attempt. Pure: randomness comes in as an argument.
 */

export type BackoffMode = "exponential" | "fixed";

export interface BackoffPolicy {
  readonly mode: BackoffMode;
  /** Seconds before the first retry (`api_retry_delay`). */
  readonly initialDelay: number;
  /** Upper bound in seconds for any wait, `Retry-After` included (`api_retry_max_delay`). */
  readonly maxDelay: number;
}

/** Jitter spreads retries of many events over ±20% so they don't hit the receiver together. */
const JITTER = 0.2;

/**
 * The wait before retry number `retry` (1 for the first retry). Exponential mode doubles
 * from `initialDelay`, applies ±20% jitter (`random` in [0, 1)) and caps at `maxDelay`; fixed
 * mode always waits `initialDelay`. A receiver's `Retry-After` (seconds) wins when given,
 * still capped by `maxDelay`.
 */
export function retryDelay(policy: BackoffPolicy, retry: number, random: number, retryAfter?: number): number {
  if (retryAfter !== undefined) return math.min(retryAfter, policy.maxDelay);
  if (policy.mode === "fixed") return math.min(policy.initialDelay, policy.maxDelay);
  const base = policy.initialDelay * 2 ** (retry - 1);
  const jittered = base * (1 - JITTER + 2 * JITTER * random);
  return math.min(jittered, policy.maxDelay);
}
