// What counts as a lost request in the soak. The forwarding layer promises that a unary call whose
// ML child dies under it is replayed on the next child (up to twice, within the call's deadline), and
// that what it cannot serve it refuses with a status a client can retry on: RESOURCE_EXHAUSTED (queue
// full) or UNAVAILABLE carrying a TA_ERR_* code and retry advice (x-tabagent-retry-after-ms on gRPC,
// 429/503 with retry-after on HTTP). So an accepted replay-safe unary call is lost when it ends in
// anything else: a transport error without a TA_ERR_* code, DEADLINE_EXCEEDED, INTERNAL, an answer
// that fails its check, or no HTTP answer at all.
import type { Sample } from '../types.js';

/** How a unary call ended, for the soak's targets. */
export type UnaryOutcome = 'ok' | 'refused' | 'lost';

const RETRYABLE_GRPC = new Set(['UNAVAILABLE', 'RESOURCE_EXHAUSTED']);
const RETRYABLE_HTTP = new Set(['HTTP 429', 'HTTP 503']);

/** Whether a failed sample is a clean refusal a client may retry (status, stable code and retry advice). */
export function cleanRetryable(s: Sample): boolean {
  if (s.retryAfterMs === undefined || !Number.isFinite(s.retryAfterMs)) return false;
  if (RETRYABLE_HTTP.has(s.code)) return true;
  return RETRYABLE_GRPC.has(s.code) && s.errorCode !== undefined && s.errorCode.startsWith('TA_ERR_');
}

/** The outcome of one replay-safe unary call. */
export function unaryOutcome(s: Sample): UnaryOutcome {
  if (s.ok) return 'ok';
  return cleanRetryable(s) ? 'refused' : 'lost';
}

/** Counts of everything the soak's traffic saw, by workload and code. */
export class Tally {
  readonly #byWorkload = new Map<string, Map<string, number>>();
  readonly #lost: Array<{ workload: string; sample: Sample }> = [];
  #refused = 0;
  #unary = 0;

  /** Records one finished call of `workload` (`replaySafe` when it is a unary call counted for "lost"). */
  add(workload: string, replaySafe: boolean, s: Sample): void {
    const codes = this.#byWorkload.get(workload) ?? new Map<string, number>();
    this.#byWorkload.set(workload, codes);
    const key = s.ok ? 'OK' : s.errorCode ? `${s.code} ${s.errorCode}` : s.code;
    codes.set(key, (codes.get(key) ?? 0) + 1);
    if (!replaySafe) return;
    this.#unary += 1;
    const o = unaryOutcome(s);
    if (o === 'refused') this.#refused += 1;
    else if (o === 'lost') this.#lost.push({ workload, sample: s });
  }

  /** Calls by workload and code ("OK", "UNAVAILABLE TA_ERR_CHILD_UNAVAILABLE", "HTTP 503"...). */
  codes(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.#byWorkload;
  }

  /** Replay-safe unary calls in all, refused cleanly, and lost (with what ended them). */
  unary(): { calls: number; refused: number; lost: ReadonlyArray<{ workload: string; sample: Sample }> } {
    return { calls: this.#unary, refused: this.#refused, lost: this.#lost };
  }

  /** Calls of every workload that ended with each code, summed over workloads. */
  totalsByCode(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const codes of this.#byWorkload.values()) for (const [c, n] of codes) out[c] = (out[c] ?? 0) + n;
    return out;
  }
}
