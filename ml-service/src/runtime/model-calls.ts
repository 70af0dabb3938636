// The calls running on one loaded model, and the drain that an unload waits for before it disposes
// the model's sessions. States: serving (calls may start) → draining (an unload waits for the calls
// in flight; new calls are refused naming the model) → disposed, or back to serving when the drain
// runs out of time and the unload is refused instead.
import { TabagentError } from '@tabagent/common';

/** How long an unload waits for a model's calls when its request carries no deadline. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

/** Kept free before an unload's deadline to send the answer. */
const REPLY_MARGIN_MS = 50;

export type ModelCallsState = 'serving' | 'draining' | 'disposed';

export class ModelCalls {
  #state: ModelCallsState = 'serving';
  #count = 0;
  #total = 0;
  #onIdle: (() => void)[] = [];

  constructor(private readonly model: string) {}

  get state(): ModelCallsState {
    return this.#state;
  }

  /** Calls running now. */
  get inFlight(): number {
    return this.#count;
  }

  /** Calls run since the model was loaded. */
  get total(): number {
    return this.#total;
  }

  /** Counts one call in; refuses while the model is being unloaded or after it was. */
  enter(): void {
    if (this.#state === 'draining') {
      throw new TabagentError('TA_ERR_FAILED_PRECONDITION', `model "${this.model}" is being unloaded in this ML service and takes no new calls`, { details: { model: this.model } });
    }
    if (this.#state === 'disposed') throw notLoaded(this.model);
    this.#count += 1;
    this.#total += 1;
  }

  /** Counts one call out (once per enter()). */
  leave(): void {
    if (this.#count === 0) throw new Error(`model "${this.model}": leave() without enter()`);
    this.#count -= 1;
    if (this.#count === 0) for (const wake of this.#onIdle.splice(0)) wake();
  }

  /**
   * Stops new calls and waits until none is in flight: true when drained (the caller disposes, then
   * calls disposed()); false when `timeoutMs` passed first, and the model serves again.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.#state !== 'serving') throw new Error(`model "${this.model}": drain() while ${this.#state}`);
    this.#state = 'draining';
    if (this.#count > 0) {
      let timer: NodeJS.Timeout | undefined;
      let wake: (() => void) | undefined;
      const idle = new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        this.#onIdle.push(wake);
        timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
      });
      const drained = await idle;
      clearTimeout(timer);
      this.#onIdle = this.#onIdle.filter((w) => w !== wake);
      if (!drained) {
        this.#state = 'serving';
        return false;
      }
    }
    return true;
  }

  /** The model's sessions are gone: every later call is refused as not loaded. */
  disposed(): void {
    this.#state = 'disposed';
  }
}

/** NOT_LOADED naming the model. */
export function notLoaded(model: string): TabagentError {
  return new TabagentError('TA_ERR_MODEL_NOT_LOADED', `model "${model}" is not loaded in this ML service`, { details: { model } });
}

/** Runs `fn` with every model counted as in flight; refuses (before running) when one is being unloaded. */
export async function withCalls<T>(calls: readonly ModelCalls[], fn: () => Promise<T>): Promise<T> {
  const entered: ModelCalls[] = [];
  try {
    for (const c of calls) {
      c.enter();
      entered.push(c);
    }
    return await fn();
  } finally {
    for (const c of entered) c.leave();
  }
}

/** Time an unload may drain before it must answer: its deadline less a margin for the reply, else the default. */
export function drainTimeout(deadline: Date | number, now = Date.now()): number {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return DEFAULT_DRAIN_TIMEOUT_MS;
  return Math.max(0, at - now - REPLY_MARGIN_MS);
}
