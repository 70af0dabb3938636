// The child lifecycle state machine: spawn → listening → health Watch SERVING → reload models →
// ready; on exit, crash or hang: backoff with jitter and restart; N failures within a window →
// FAILED (retried later). Everything external (process factory, link, clock) is injected.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { TabagentError, type Logger } from '@tabagent/common';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { ChildLink, ChildLinkFactory } from './child-link.js';
import { CrashLoopDetector } from './crash-loop.js';
import { formatExit } from './format-exit.js';
import type { ChildExit, MlChild, MlChildFactory } from './ml-child.js';
import { ReadyWaiters } from './ready-waiters.js';
import { realClock, type Clock } from './clock.js';

/** Lifecycle states. */
export const CHILD_STATES = Object.freeze(['idle', 'starting', 'ready', 'backoff', 'failed', 'stopping', 'stopped'] as const);
export type ChildState = (typeof CHILD_STATES)[number];

/** Lifecycle tuning. */
export interface LifecyclePolicy {
  readonly backoff: BackoffPolicy;
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  /** After FAILED, try again after this long; 0 = never. */
  readonly retryAfterFailedMs: number;
  readonly hangTimeoutMs: number;
  readonly healthIntervalMs: number;
  readonly startTimeoutMs: number;
}

/** Options of ChildSupervisor. */
export interface ChildSupervisorOptions<L extends ChildLink> {
  readonly factory: MlChildFactory;
  readonly connect: ChildLinkFactory<L>;
  /** Where generation N listens. */
  readonly listenAddress: (generation: number) => string;
  readonly filesEndpoint: string;
  /** Runs after the child is SERVING and before it counts as ready (reloads models). */
  readonly onReady: (link: L, generation: number) => Promise<void>;
  readonly policy: LifecyclePolicy;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Called with the pid of each spawned child and again when it exits (orphan reaping). */
  readonly onPid?: (pid: number, alive: boolean) => void;
  /** The secret of generation N (default: 24 random bytes per spawn; attach mode: a shared one). */
  readonly secret?: (generation: number) => string;
}

/** Supervises one ML child at a time. Events: "state" (state), "ready" (generation), "exit" (ChildExit). */
export class ChildSupervisor<L extends ChildLink> extends EventEmitter {
  readonly #o: ChildSupervisorOptions<L>;
  readonly #clock: Clock;
  readonly #crashes: CrashLoopDetector;
  readonly #waiters = new ReadyWaiters<L>();
  #state: ChildState = 'idle';
  #generation = 0;
  #attempt = 0;
  #child: MlChild | undefined;
  #link: L | undefined;
  #readySince = 0;
  #lastError = '';
  #hangNote = '';
  #lastExit: ChildExit | undefined;
  #timers: Array<() => void> = [];
  #stopping: Promise<void> | undefined;

  constructor(opts: ChildSupervisorOptions<L>) {
    super();
    this.#o = opts;
    this.#clock = opts.clock ?? realClock;
    this.#crashes = new CrashLoopDetector(opts.policy.maxRestarts, opts.policy.restartWindowMs);
  }

  get state(): ChildState { return this.#state; }
  get generation(): number { return this.#generation; }
  get lastError(): string { return this.#lastError; }
  get lastExit(): ChildExit | undefined { return this.#lastExit; }
  /** The current child (tests kill it). */
  get child(): MlChild | undefined { return this.#child; }
  /** The link to the ready child, or undefined. */
  get link(): L | undefined { return this.#state === 'ready' ? this.#link : undefined; }

  /** Starts the first child. */
  start(): void {
    if (this.#state !== 'idle') return;
    this.#spawn();
  }

  /** Resolves with the link once a child is ready; rejects after timeoutMs or when FAILED/stopped. */
  whenReady(timeoutMs: number): Promise<L> {
    if (this.#state === 'ready' && this.#link) return Promise.resolve(this.#link);
    if (this.#state === 'failed') return Promise.reject(this.#failedError());
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      return Promise.reject(new TabagentError('TA_ERR_SHUTTING_DOWN', 'the server is shutting down'));
    }
    return this.#waiters.wait(timeoutMs, this.#clock, () =>
      new TabagentError('TA_ERR_CHILD_UNAVAILABLE', `the ML process is ${this.#state === 'starting' ? 'starting' : 'restarting'}; not ready within ${timeoutMs} ms`, { retryAfterMs: 500 }));
  }

  /** Stops the child (SIGTERM, grace, SIGKILL) and stays stopped; concurrent calls share one stop. */
  stop(graceMs: number): Promise<void> {
    if (this.#state === 'stopped') return Promise.resolve();
    this.#stopping ??= this.#stopOnce(graceMs);
    return this.#stopping;
  }

  async #stopOnce(graceMs: number): Promise<void> {
    this.#setState('stopping');
    this.#clearTimers();
    this.#waiters.rejectAll(new TabagentError('TA_ERR_SHUTTING_DOWN', 'the server is shutting down'));
    const child = this.#child;
    if (child) await child.stop(graceMs);
    this.#link?.close();
    this.#setState('stopped');
  }

  /** Leaves FAILED and tries again now (operator action or scheduled retry). */
  retry(): void {
    if (this.#state !== 'failed') return;
    this.#crashes.reset();
    this.#attempt = 0;
    this.#spawn();
  }

  #spawn(): void {
    this.#clearTimers();
    const generation = ++this.#generation;
    const secret = this.#o.secret?.(generation) ?? randomBytes(24).toString('base64url');
    const child = this.#o.factory({
      listen: this.#o.listenAddress(generation), filesEndpoint: this.#o.filesEndpoint, secret, generation,
      startTimeoutMs: this.#o.policy.startTimeoutMs,
    });
    this.#child = child;
    this.#link = undefined;
    this.#setState('starting');
    void child.exited.then((exit) => this.#onExit(child, exit));
    child.start().then((address) => {
      if (this.#child !== child || this.#state !== 'starting') return;
      if (child.pid !== undefined) this.#o.onPid?.(child.pid, true);
      this.#o.log.info({ generation, pid: child.pid, address }, 'ML child listening');
      this.#connect(child, generation, address, secret);
    }, (err: unknown) => {
      this.#o.log.warn({ generation, err: (err as Error).message }, 'ML child failed to start');
      child.signal('SIGKILL');
    });
  }

  #connect(child: MlChild, generation: number, address: string, secret: string): void {
    const link = this.#o.connect(address, secret);
    this.#link = link;
    let readying = false;
    const stopWatch = link.watchServing((serving) => {
      if (this.#child !== child) return;
      if (!serving && child.remote && this.#state === 'ready') {
        // An attached service that stops serving (or whose connection broke) may have restarted
        // and lost its models: treat it as lost, reconnect and reload.
        this.#o.log.warn({ address }, 'ML service stopped serving; reconnecting');
        child.signal('SIGTERM');
        return;
      }
      if (serving && this.#state === 'starting' && !readying) {
        readying = true;
        const servingAt = this.#clock.now();
        this.#o.log.info({ generation, pid: child.pid }, 'ML child serving; reloading models');
        this.#o.onReady(link, generation).catch((err: unknown) => {
          this.#o.log.error({ err: (err as Error).message, generation }, 'reloading models after start failed');
        }).finally(() => {
          if (this.#child !== child || this.#state !== 'starting') return;
          this.#readySince = this.#clock.now();
          this.#o.log.info({ generation, pid: child.pid, reloadMs: this.#readySince - servingAt }, 'ML child ready');
          this.#setState('ready');
          this.emit('ready', generation);
          this.#waiters.resolveAll(link);
        });
      }
    });
    this.#timers.push(stopWatch);
    this.#timers.push(this.#watchLiveness(child, link));
  }

  /** Periodic Check with a deadline: a child that stops answering for hangTimeoutMs is killed. */
  #watchLiveness(child: MlChild, link: L): () => void {
    const p = this.#o.policy;
    let lastOk = this.#clock.now();
    let inFlight = false;
    return this.#clock.every(p.healthIntervalMs, () => {
      if (inFlight || this.#child !== child) return;
      inFlight = true;
      void link.check(Math.min(p.hangTimeoutMs, Math.max(p.healthIntervalMs, 250))).then((ok) => {
        inFlight = false;
        const now = this.#clock.now();
        if (ok) lastOk = now;
        else if (now - lastOk >= p.hangTimeoutMs && this.#child === child && this.#state !== 'stopping') {
          this.#o.log.error({ pid: child.pid, silentMs: now - lastOk }, 'ML child stopped answering; killing it');
          const who = child.remote ? `ML service at ${link.address}` : `ML child (pid ${child.pid})`;
          this.#hangNote = `${who} stopped answering health checks for ${now - lastOk} ms`;
          this.#lastError = this.#hangNote;
          child.signal('SIGKILL');
        }
      });
    });
  }

  #onExit(child: MlChild, exit: ChildExit): void {
    if (child.pid !== undefined) this.#o.onPid?.(child.pid, false);
    if (this.#child !== child) return;
    this.#lastExit = exit;
    this.#clearTimers();
    this.#link?.close();
    this.#link = undefined;
    const stopping = this.#state === 'stopping' || this.#state === 'stopped';
    if (!stopping) this.#lastError = formatExit(exit, this.#hangNote, child.remote === true);
    this.#hangNote = '';
    this.emit('exit', exit);
    if (stopping) return;
    const now = this.#clock.now();
    if (this.#state === 'ready' && now - this.#readySince >= this.#o.policy.backoff.resetAfterMs) this.#attempt = 0;
    this.#o.log.error({ code: exit.code, signal: exit.signal, stderr: exit.stderrTail.slice(-5) }, 'ML child exited');
    if (this.#crashes.record(now)) {
      this.#setState('failed');
      this.#waiters.rejectAll(this.#failedError());
      const retryMs = this.#o.policy.retryAfterFailedMs;
      if (retryMs > 0) this.#timers.push(this.#clock.after(retryMs, () => this.retry()));
      return;
    }
    const delay = backoffDelay(this.#attempt++, this.#o.policy.backoff, this.#o.random);
    this.#setState('backoff');
    this.#o.log.info({ delayMs: delay, attempt: this.#attempt }, 'restarting ML child');
    this.#timers.push(this.#clock.after(delay, () => this.#spawn()));
  }

  #failedError(): TabagentError {
    return new TabagentError('TA_ERR_CHILD_FAILED', `the ML process is FAILED after ${this.#o.policy.maxRestarts} failures: ${this.#lastError}`);
  }

  #setState(s: ChildState): void {
    if (this.#state === s) return;
    this.#state = s;
    this.emit('state', s);
  }

  #clearTimers(): void {
    for (const t of this.#timers.splice(0)) t();
  }
}
