// Restart delays: exponential backoff with jitter, e.g. 250 ms doubling up to 30 s.

/** Backoff parameters. */
export interface BackoffPolicy {
  /** First delay. */
  readonly initialMs: number;
  /** Upper bound of a delay. */
  readonly maxMs: number;
  /** Growth per attempt. */
  readonly factor: number;
  /** Relative jitter: the delay is scaled by a factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
  /** A child that stayed ready this long resets the attempt count. */
  readonly resetAfterMs: number;
}

/** The default policy. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({
  initialMs: 250, maxMs: 30_000, factor: 2, jitter: 0.2, resetAfterMs: 30_000,
});

/** Delay before restart number `attempt` (0-based), with `random()` in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt));
  const scale = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxMs, base * scale)));
}
