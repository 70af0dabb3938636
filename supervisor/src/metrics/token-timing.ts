// Time to first token and inter-token latency of one Generate/Chat stream, observed as the supervisor
// forwards its messages, plus the prompt and generated token counts of the finished generation.
import type { Counter, Histogram } from 'prom-client';

/** The label children one stream observes into (cached per surface, method and model). */
export interface TokenSeries {
  readonly ttft: Histogram.Internal<string>;
  readonly itl: Histogram.Internal<string>;
  readonly prompt: Counter.Internal;
  readonly generated: Counter.Internal;
}

/** The final counts of a generation. */
export interface GenerationCounts {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * One stream. The first message carrying tokens gives the time to first token (from the call's
 * arrival); every later token one inter-token latency: a message carrying n tokens gives n equal
 * shares of the time since the previous message, so a stream of K tokens gives K - 1 of them.
 */
export class TokenTiming {
  readonly #series: () => TokenSeries | undefined;
  readonly #startedMs: number;
  readonly #now: () => number;
  #s: TokenSeries | undefined;
  #lastMs = -1;

  /** `series` is asked once, at the first token or the end (the model is known to exist by then). */
  constructor(series: () => TokenSeries | undefined, startedMs: number, now: () => number = () => performance.now()) {
    this.#series = series;
    this.#startedMs = startedMs;
    this.#now = now;
  }

  /** One forwarded message: the tokens it carries, and the counts when it is the final one. */
  message(tokens: number, done?: GenerationCounts): void {
    if (tokens > 0) {
      const s = (this.#s ??= this.#series());
      const now = this.#now();
      if (s) {
        let n = tokens;
        if (this.#lastMs < 0) {
          s.ttft.observe((now - this.#startedMs) / 1000);
          n -= 1;
        }
        const share = n > 0 ? (now - (this.#lastMs < 0 ? now : this.#lastMs)) / 1000 / n : 0;
        for (let i = 0; i < n; i++) s.itl.observe(share);
      }
      this.#lastMs = now;
    }
    if (done) {
      const s = (this.#s ??= this.#series());
      s?.prompt.inc(done.promptTokens);
      s?.generated.inc(done.completionTokens);
    }
  }
}
