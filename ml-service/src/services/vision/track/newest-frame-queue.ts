// Frame scheduling of a Track stream: one frame is processed at a time; while it runs only the
// newest arrival is kept, and the frames it replaced are reported with its result.

/** Something with a client timestamp. */
export interface Stamped {
  timestampUs: number;
}

/** Callbacks of a NewestFrameQueue. */
export interface NewestFrameHandlers<T extends Stamped, R> {
  /** Processes one frame. */
  process(item: T): Promise<R>;
  /** Delivers a result with the timestamps of the older frames skipped in favour of its frame. */
  deliver(result: R, dropped: number[]): void;
  /** Input ended and every kept frame was delivered. */
  done(): void;
  /** process() failed; the queue stops. */
  fail(err: unknown): void;
}

export class NewestFrameQueue<T extends Stamped, R> {
  readonly #h: NewestFrameHandlers<T, R>;
  #busy = false;
  #pending: T | undefined;
  #dropped: number[] = [];
  #ended = false;
  #stopped = false;

  constructor(handlers: NewestFrameHandlers<T, R>) {
    this.#h = handlers;
  }

  /** Frames processed or waiting right now (0, 1 or 2). */
  get depth(): number {
    return (this.#busy ? 1 : 0) + (this.#pending ? 1 : 0);
  }

  /** A new frame arrived. */
  push(item: T): void {
    if (this.#stopped || this.#ended) return;
    if (!this.#busy) {
      void this.#run(item);
      return;
    }
    if (this.#pending) this.#dropped.push(this.#pending.timestampUs);
    this.#pending = item;
  }

  /** No more frames will arrive; done() follows once the kept frame is delivered. */
  end(): void {
    if (this.#ended || this.#stopped) return;
    this.#ended = true;
    if (!this.#busy) this.#finish();
  }

  /** Stops for good (the call was cancelled): nothing more is processed or delivered. */
  stop(): void {
    this.#stopped = true;
    this.#pending = undefined;
  }

  async #run(first: T): Promise<void> {
    this.#busy = true;
    let item: T | undefined = first;
    while (item && !this.#stopped) {
      // Frames dropped so far were all replaced by this one, so they are reported with its result.
      const dropped = this.#dropped.splice(0);
      let result: R;
      try {
        result = await this.#h.process(item);
      } catch (err) {
        if (!this.#stopped) {
          this.#stopped = true;
          this.#h.fail(err);
        }
        return;
      }
      if (this.#stopped) return;
      this.#h.deliver(result, dropped);
      item = this.#pending;
      this.#pending = undefined;
    }
    this.#busy = false;
    if (this.#ended) this.#finish();
  }

  #finish(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#h.done();
  }
}
