/**
 * Decides what happens after an attempt: done, try again, or give up. Pure.
 */
import { RetryForCode } from "../config";
import { Log, PostResult } from "./types";

export type Verdict =
  | { readonly kind: "delivered" }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfter?: number }
  | { readonly kind: "give-up"; readonly reason: string };

export interface RetryPolicy {
  /** Retries allowed after the first attempt. */
  readonly retryCount: number;
  /** The operator's rule for HTTP codes; undefined means the default rule. */
  readonly shouldRetryForCode: RetryForCode | undefined;
}

function isSuccess(code: number): boolean {
  return code >= 200 && code < 300;
}

/**
 * The default rule: retry what may succeed later (408 Request Timeout, 429 Too Many
 * Requests, 5xx); other 4xx and 3xx will not change by asking again.
 */
export function defaultShouldRetry(code: number): boolean {
  return code === 408 || code === 429 || code >= 500;
}

/** Codes whose `Retry-After` is honoured. */
function honoursRetryAfter(code: number): boolean {
  return code === 429 || code === 503;
}

/** Runs the operator's rule; a rule that throws falls back to the default and is logged. */
function wantsRetry(policy: RetryPolicy, code: number, log: Log): boolean {
  const rule = policy.shouldRetryForCode;
  if (rule === undefined) return defaultShouldRetry(code);
  const [ok, answer] = pcall(rule, code);
  if (!ok) {
    log("error", "api_should_retry_for_code failed for HTTP %d (%s); using the default rule", code, tostring(answer));
    return defaultShouldRetry(code);
  }
  return answer === true;
}

const DELIVERED_VERDICT: Verdict = { kind: "delivered" };

/** Judges one attempt's result; `attempts` counts the attempt just made. */
export function judge(policy: RetryPolicy, result: PostResult, attempts: number, log: Log): Verdict {
  if (isSuccess(result.code)) return DELIVERED_VERDICT;
  const reason = result.code === 0 ? result.reason ?? "no response" : `HTTP ${result.code}`;
  // Transport failures and timeouts are always retryable: the receiver never saw an answer from us.
  const retryable = result.code === 0 || wantsRetry(policy, result.code, log);
  if (!retryable) return { kind: "give-up", reason: `${reason} (not retryable)` };
  if (attempts > policy.retryCount) return { kind: "give-up", reason: `${reason} after ${attempts} attempts` };
  const retryAfter = honoursRetryAfter(result.code) ? result.retryAfter : undefined;
  return { kind: "retry", reason, retryAfter };
}
