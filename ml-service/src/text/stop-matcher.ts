// Finds stop strings in streamed text, holding back any tail that could still become a stop string.

export interface StopResult {
  /** Text that is safe to emit now. */
  readonly emit: string;
  /** True when a stop string was found; `emit` then ends right before it. */
  readonly stopped: boolean;
}

export class StopMatcher {
  private held = '';

  constructor(private readonly stops: readonly string[]) {}

  /** Adds streamed text; returns what can be emitted and whether a stop string completed. */
  push(text: string): StopResult {
    const buffer = this.held + text;
    if (this.stops.length === 0) {
      this.held = '';
      return { emit: buffer, stopped: false };
    }
    let cut = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.held = '';
      return { emit: buffer.slice(0, cut), stopped: true };
    }
    const keep = this.partialTail(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return { emit: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** Returns the held-back tail at the end of generation (it never completed a stop string). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop string. */
  private partialTail(buffer: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > best; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
