// The vocabulary of the load generator: one finished call (a sample), a workload that makes calls
// with N in flight, and what one concurrency level measured.

/** One finished call. */
export interface Sample {
  /** When the call started and ended (performance.now() milliseconds). */
  readonly startMs: number;
  readonly endMs: number;
  /** Whether the call succeeded and its answer was checked. */
  readonly ok: boolean;
  /**
   * How it ended: "OK", a gRPC status name ("RESOURCE_EXHAUSTED"), an HTTP status ("HTTP 429"),
   * or "WRONG_ANSWER" when an answer came back but failed its check.
   */
  readonly code: string;
  /** The stable TA_ERR_* code the error carried, if any. */
  readonly errorCode?: string;
  /** Retry advice (ms) the error carried, if any. */
  readonly retryAfterMs?: number;
  /** Error message (first line), for the log of unexpected failures. */
  readonly message?: string;
  /** Generation: milliseconds from the start to the first token. */
  readonly ttftMs?: number;
  /** Generation: milliseconds between consecutive tokens. */
  readonly itlMs?: readonly number[];
  /** Generation: tokens produced. */
  readonly tokens?: number;
}

/** Makes one call on behalf of worker `worker` (0 ≤ worker < concurrency). */
export type Caller = (worker: number) => Promise<Sample>;

/** Calls of one kind, set up for a given concurrency. */
export interface Workload {
  /** Short name used on the command line and in the table ("detect-shm", "embed"...). */
  readonly name: string;
  /** What one call is, for the table header. */
  readonly describe: string;
  /** Whether a call is unary and safe to replay on a new ML child (what "lost" is counted on). */
  readonly replaySafe: boolean;
  /** Opens what `concurrency` workers need (streams, clients) and returns their caller. */
  open(concurrency: number): Promise<OpenWorkload>;
  close(): Promise<void>;
}

/** A workload opened for one concurrency level. */
export interface OpenWorkload {
  readonly call: Caller;
  close(): Promise<void>;
}

/** p50/p90/p99 of a list of milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** What one concurrency level measured, over the windows it counted. */
export interface LevelResult {
  readonly workload: string;
  readonly concurrency: number;
  /** Successful calls per second (mean over the counted windows). */
  readonly throughput: number;
  readonly latency: Percentiles;
  /** Generation only. */
  readonly ttft?: Percentiles;
  readonly itl?: Percentiles;
  /** Tokens per second over all calls (generation only). */
  readonly tokensPerSecond?: number;
  readonly ok: number;
  /** Failed calls by code. */
  readonly errors: Readonly<Record<string, number>>;
  /** Windows measured and whether the last ones were stable within the tolerance. */
  readonly windows: number;
  readonly stable: boolean;
}
