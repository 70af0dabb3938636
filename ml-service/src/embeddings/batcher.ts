// A dynamic batcher in the manner of Triton's: requests for one model queue up and are merged into
// one model call when the batch is full or the oldest request has waited the maximum queue delay.

/** Batching settings of one model. */
export interface BatchingOptions {
  /** Merge concurrent requests; false runs each request as its own model call. */
  readonly enabled: boolean;
  /** Most items (texts) per merged call; a larger single request still runs, alone. */
  readonly maxBatchSize: number;
  /** Longest time the oldest queued request waits for others before its batch runs. */
  readonly maxQueueDelayMs: number;
}

/** What one model call covered (for logs and metrics). */
export interface BatchReport {
  readonly items: number;
  readonly requests: number;
  /** How long the oldest request of the batch waited in the queue. */
  readonly queueMs: number;
  readonly runMs: number;
}

/** The time source and timers of a batcher (real ones by default; tests pass a fake). */
export interface BatcherClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: BatcherClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

interface Pending<I, O> {
  readonly key: string;
  readonly items: readonly I[];
  readonly at: number;
  resolve(out: O[]): void;
  reject(err: unknown): void;
}

/**
 * Runs `run` on merged batches, one call at a time. Only requests with the same `key` (e.g. the
 * same pooling options) share a call. Results are handed back in each request's item order.
 *
 * A request that finds the model idle and alone in the queue waits for partners (up to the maximum
 * queue delay) only while traffic is concurrent, i.e. the previous call merged several requests;
 * after a call that served one lone request it runs at once, so sequential callers pay no delay.
 * Requests that queue up behind a running call are merged as before.
 */
export class DynamicBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private running = false;
  private timer: unknown;
  /** Whether the last call merged several requests (concurrent traffic); true until the first call. */
  private concurrent = true;

  constructor(
    private readonly run: (key: string, items: I[]) => Promise<O[]>,
    readonly options: BatchingOptions,
    private readonly onBatch?: (report: BatchReport) => void,
    private readonly clock: BatcherClock = REAL_CLOCK,
  ) {}

  /** Queues one request; resolves with one output per item. */
  submit(key: string, items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.queue.push({ key, items, at: this.clock.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Requests waiting (not yet running). */
  get queued(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const oldest = this.queue[0]!;
    const waited = this.clock.now() - oldest.at;
    let ready = 0;
    for (const p of this.queue) if (p.key === oldest.key) ready += p.items.length;
    const alone = this.queue.length === 1 && !this.concurrent;
    if (!this.options.enabled || alone || ready >= this.options.maxBatchSize || waited >= this.options.maxQueueDelayMs) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      // Start the call on the next turn of the event loop: a model call may block the thread (TFJS on wasm
      // runs synchronously), so the answers of the previous batch must reach the socket first, and requests
      // that arrived meanwhile can still join this batch.
      this.running = true;
      setImmediate(() => this.dispatch());
    } else {
      this.timer ??= this.clock.setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, Math.max(0, this.options.maxQueueDelayMs - waited));
    }
  }

  private takeBatch(): Pending<I, O>[] {
    const first = this.queue.shift()!;
    const batch = [first];
    if (!this.options.enabled) return batch;
    let size = first.items.length;
    for (let i = 0; i < this.queue.length && size < this.options.maxBatchSize; ) {
      const p = this.queue[i]!;
      if (p.key === first.key && size + p.items.length <= this.options.maxBatchSize) {
        batch.push(p);
        size += p.items.length;
        this.queue.splice(i, 1);
      } else i++;
    }
    return batch;
  }

  private dispatch(): void {
    if (this.queue.length === 0) {
      this.running = false;
      return;
    }
    const batch = this.takeBatch();
    this.concurrent = batch.length > 1;
    const items = batch.flatMap((p) => p.items);
    const started = this.clock.now();
    const report = (): void => this.onBatch?.({ items: items.length, requests: batch.length, queueMs: started - batch[0]!.at, runMs: this.clock.now() - started });
    this.run(batch[0]!.key, items)
      .then((out) => {
        if (out.length !== items.length) throw new Error(`batch returned ${out.length} results for ${items.length} items`);
        report();
        let at = 0;
        for (const p of batch) {
          p.resolve(out.slice(at, at + p.items.length));
          at += p.items.length;
        }
      })
      .catch((err: unknown) => {
        report();
        for (const p of batch) p.reject(err);
      })
      .finally(() => {
        this.running = false;
        this.schedule();
      });
  }

  /** Rejects everything still queued (model unloaded). */
  close(reason: Error): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const p of this.queue.splice(0)) p.reject(reason);
  }
}
