// The part of a decode loop every text engine shares: each sampled token is counted, detokenized and
// matched against the stop strings; text leaves as deltas carrying the ids that completed it; at the
// end, what the stop matcher held back is flushed and the run is summed up.
import type { Detokenizer } from './detokenizer.js';
import type { FinishReason, GenerationSummary, TextDelta } from './events.js';
import type { StopMatcher } from './stop-matcher.js';

/** What one generated token released. */
export interface Pushed {
  readonly delta: TextDelta | undefined;
  /** A stop string matched: the run ends here. */
  readonly stopped: boolean;
}

export class TokenEmitter {
  #pending: number[] = [];
  #completion = 0;
  #firstTokenAt: number | undefined;

  /** `started`: when the call began (the summary's times count from it). */
  constructor(private readonly detokenizer: Detokenizer, private readonly stopper: StopMatcher, private readonly started: number) {}

  /** Tokens sampled so far, end-of-generation tokens included. */
  get completion(): number {
    return this.#completion;
  }

  /** Counts a sampled token (before the end-of-generation check, as usage counts it). */
  count(): void {
    this.#completion += 1;
    this.#firstTokenAt ??= performance.now();
  }

  /** A generated (non end-of-generation) token: the delta it releases, if any, and whether a stop string matched. */
  push(token: number): Pushed {
    this.#pending.push(token);
    const text = this.detokenizer.push(token);
    if (text === '') return { delta: undefined, stopped: false };
    const s = this.stopper.push(text);
    return { delta: s.emit === '' ? undefined : this.#take(s.emit), stopped: s.stopped };
  }

  /** The held-back text (unless a stop string ended the run) and the final summary. */
  finish(finishReason: FinishReason, promptTokens: number): { readonly delta: TextDelta | undefined; readonly summary: GenerationSummary } {
    let reason = finishReason;
    let delta: TextDelta | undefined;
    if (reason !== 'stop') {
      const s = this.stopper.push(this.detokenizer.flush());
      if (s.stopped) reason = 'stop';
      const rest = s.emit + (s.stopped ? '' : this.stopper.flush());
      if (rest !== '') delta = this.#take(rest);
    }
    const ended = performance.now();
    const completion = this.#completion;
    const summary: GenerationSummary = {
      type: 'final',
      promptTokens,
      completionTokens: completion,
      timeToFirstTokenMs: this.#firstTokenAt === undefined ? 0 : this.#firstTokenAt - this.started,
      tokensPerSecond: completion === 0 ? 0 : completion / ((ended - this.started) / 1000),
      durationMs: ended - this.started,
      finishReason: reason,
    };
    return { delta, summary };
  }

  #take(text: string): TextDelta {
    const event: TextDelta = { type: 'delta', delta: text, tokenIds: this.#pending };
    this.#pending = [];
    return event;
  }
}
