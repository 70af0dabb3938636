// Test doubles for the lifecycle: a fake clock, a fake child process and a fake link. Used only by
// unit tests of pure logic (the end-to-end tests use real processes).
import type { ChildLink } from './child-link.js';
import type { Clock } from './clock.js';
import type { ChildExit, ChildSpawnOptions, MlChild } from './ml-child.js';

interface Timer { at: number; fn: () => void; every?: number; id: number }

/** A manual clock: time moves only with advance(). */
export class FakeClock implements Clock {
  #now = 1_000_000;
  #timers: Timer[] = [];
  #id = 0;

  now(): number { return this.#now; }

  after(ms: number, fn: () => void): () => void {
    const t: Timer = { at: this.#now + ms, fn, id: ++this.#id };
    this.#timers.push(t);
    return () => { this.#timers = this.#timers.filter((x) => x !== t); };
  }

  every(ms: number, fn: () => void): () => void {
    const t: Timer = { at: this.#now + ms, fn, every: ms, id: ++this.#id };
    this.#timers.push(t);
    return () => { this.#timers = this.#timers.filter((x) => x !== t); };
  }

  /** Pending one-shot delays (for asserting backoff). */
  pendingDelays(): number[] {
    return this.#timers.filter((t) => t.every === undefined).map((t) => t.at - this.#now);
  }

  /** Moves time forward, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.#now = due.at;
      if (due.every !== undefined) due.at += due.every;
      else this.#timers = this.#timers.filter((x) => x !== due);
      due.fn();
      await flush();
    }
    this.#now = end;
    await flush();
  }
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A fake child whose start/exit the test controls. */
export class FakeChild implements MlChild {
  static nextPid = 100;
  readonly pid = FakeChild.nextPid++;
  readonly opts: ChildSpawnOptions;
  readonly signals: string[] = [];
  readonly exited: Promise<ChildExit>;
  #resolveExit!: (e: ChildExit) => void;
  #resolveStart!: (a: string) => void;
  #rejectStart!: (e: Error) => void;
  stopped = false;
  /** How many times stop() was called. */
  stopCalls = 0;
  tail: string[] = [];
  remote = false;

  constructor(opts: ChildSpawnOptions) {
    this.opts = opts;
    this.exited = new Promise((r) => (this.#resolveExit = r));
  }

  start(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#resolveStart = resolve;
      this.#rejectStart = reject;
    });
  }

  /** The child reports its address. */
  listen(): void { this.#resolveStart(`fake:${this.opts.generation}`); }

  /** The child dies. */
  crash(code: number | null = 1, signal: string | null = null, tail: string[] = this.tail): void {
    this.#rejectStart(new Error('exited'));
    this.#resolveExit({ code, signal, stderrTail: tail });
  }

  async stop(): Promise<ChildExit> {
    this.stopped = true;
    this.stopCalls += 1;
    this.crash(0, 'SIGTERM');
    return this.exited;
  }

  signal(sig: NodeJS.Signals): void {
    this.signals.push(sig);
    // An attached service is "lost" on any signal, like attachedChildFactory's.
    if (this.remote) this.crash(null, null, ['connection lost']);
    else if (sig === 'SIGKILL') this.crash(null, 'SIGKILL');
  }

  stderrTail(): readonly string[] { return this.tail; }
}

/** A fake link whose health the test controls. */
export class FakeLink implements ChildLink {
  readonly address: string;
  serving: ((s: boolean) => void) | undefined;
  healthy = true;
  closed = false;

  constructor(address: string) { this.address = address; }

  watchServing(cb: (s: boolean) => void): () => void {
    this.serving = cb;
    return () => { this.serving = undefined; };
  }

  check(): Promise<boolean> { return Promise.resolve(this.healthy); }

  close(): void { this.closed = true; }
}
