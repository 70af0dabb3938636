// Writes generated text to a server stream with at most one message in flight and at most one
// delta per interval: tokens produced meanwhile are merged into the next delta, so a fast model is
// not held back by per-message costs (two gRPC hops per message) and a slow client never makes the
// server buffer more than one message. The first token is always sent at once.

import type { ServerWritableStream } from '@grpc/grpc-js';
import type { GenerateResponse, GenerateStats } from '@tabagent/protos/v1/text';

/** Shortest time between two delta messages; far below what a reader or a UI frame can notice. */
export const DEFAULT_DELTA_INTERVAL_MS = 4;

/** Coalescing writer of GenerateResponse deltas. */
export class DeltaWriter {
  private text = '';
  private ids: number[] = [];
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;
  private lastSent = -Infinity;
  private waiters: (() => void)[] = [];
  /** Delta messages written. */
  messages = 0;

  constructor(private readonly call: ServerWritableStream<unknown, GenerateResponse>, private readonly intervalMs = DEFAULT_DELTA_INTERVAL_MS) {
    const release = (): void => this.settle();
    call.once('cancelled', release);
    call.once('close', release);
  }

  /** Queues text and the token ids that completed it. */
  push(text: string, tokenIds: readonly number[]): void {
    this.text += text;
    this.ids.push(...tokenIds);
    this.schedule();
  }

  /** Sends what is pending, then the final statistics, after the message in flight is written. */
  async finish(stats: GenerateStats): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight && !this.call.cancelled) await new Promise<void>((r) => this.waiters.push(r));
    if (this.call.cancelled) return;
    if (this.pending()) this.send();
    this.call.write({ done: stats });
  }

  private pending(): boolean {
    return this.text !== '' || this.ids.length > 0;
  }

  private schedule(): void {
    if (this.inFlight || this.timer || this.call.cancelled || !this.pending()) return;
    const wait = this.lastSent + this.intervalMs - performance.now();
    if (wait <= 0) this.send();
    else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
    }
  }

  private send(): void {
    const msg: GenerateResponse = { delta: { text: this.text, tokenIds: this.ids } };
    this.text = '';
    this.ids = [];
    this.inFlight = true;
    this.messages += 1;
    this.lastSent = performance.now();
    this.call.write(msg, () => {
      this.inFlight = false;
      this.settle();
      this.schedule();
    });
  }

  private settle(): void {
    if (this.call.cancelled) {
      this.inFlight = false;
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const w of this.waiters.splice(0)) w();
  }
}
