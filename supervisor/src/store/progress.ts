// Throttled progress reporting for pulls: stage or file changes and completions always go out,
// byte updates at most every `intervalMs`.

import type { PullProgress, PullStage } from './core/types.js';

export class ProgressReporter {
  readonly #id: string;
  readonly #emit: (event: PullProgress) => void;
  readonly #intervalMs: number;
  #last: PullProgress | undefined;
  #lastAt = 0;

  constructor(id: string, emit: (event: PullProgress) => void, intervalMs = 100) {
    this.#id = id;
    this.#emit = emit;
    this.#intervalMs = intervalMs;
  }

  report(stage: PullStage, bytesDone: number, bytesTotal: number, file?: string): void {
    const now = Date.now();
    const last = this.#last;
    const important = last === undefined || last.stage !== stage || last.file !== file
      || (bytesTotal > 0 && bytesDone >= bytesTotal);
    if (!important && now - this.#lastAt < this.#intervalMs) return;
    const event: PullProgress = file === undefined
      ? { id: this.#id, stage, bytesDone, bytesTotal }
      : { id: this.#id, stage, bytesDone, bytesTotal, file };
    this.#last = event;
    this.#lastAt = now;
    this.#emit(event);
  }
}
