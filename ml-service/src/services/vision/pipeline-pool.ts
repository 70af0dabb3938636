// A small pool of pipeline instances for one model combination and option set. Pipelines reuse
// buffers between frames, so each instance serves one call at a time; concurrent calls get another
// instance (up to the pool size) or wait in line, in arrival order. Pools live on the models' OnnxHandle.attachments
// and are disposed with the first of their models to be unloaded.
import { BufferPool } from '../../vision/image/buffer-pool.js';
import { VisionError } from '../../vision/errors.js';
import type { VisionModel } from './models.js';
import { RunClock } from './stage-clock.js';

/** One pipeline instance with the clock its sessions report to and its own buffers. */
export interface Instance<T> {
  readonly value: T;
  readonly clock: RunClock;
  readonly buffers: BufferPool;
}

/** Builds one instance; sessions should be wrapped with timedSession(…, clock). */
export type InstanceFactory<T> = (clock: RunClock) => T;

/**
 * Instances per pool when not said otherwise. onnxruntime-node runs inference synchronously on the
 * main thread and JPEG/PNG decoding happens before an instance is taken, so a second instance cannot
 * overlap anything: measured with 4 concurrent FaceMesh clients, 1 and 2 instances gave the same
 * throughput (within noise), so calls on one model combination are serialised.
 */
export const DEFAULT_POOL_SIZE = 1;
/** Most option variants cached per model before the oldest is dropped. */
export const MAX_VARIANTS_PER_MODEL = 16;
const PREFIX = 'vision:';

export class PipelinePool<T> {
  readonly #create: InstanceFactory<T>;
  readonly #destroy: (value: T) => void | Promise<void>;
  readonly #size: number;
  readonly #idle: Instance<T>[] = [];
  readonly #waiters: Array<{ resolve: (i: Instance<T>) => void; reject: (e: unknown) => void }> = [];
  #count = 0;
  #disposed = false;
  /** Called once when the pool is disposed. */
  onDispose: (() => void) | undefined;

  constructor(create: InstanceFactory<T>, destroy: (value: T) => void | Promise<void>, size = DEFAULT_POOL_SIZE) {
    this.#create = create;
    this.#destroy = destroy;
    this.#size = Math.max(1, size);
  }

  /** Instances created so far (busy or idle). */
  get size(): number {
    return this.#count;
  }

  /** Runs `fn` with an instance of its own; the instance's clock is reset first. */
  async use<R>(fn: (instance: Instance<T>) => Promise<R>): Promise<R> {
    const instance = await this.#acquire();
    instance.clock.reset();
    try {
      return await fn(instance);
    } finally {
      this.#release(instance);
    }
  }

  async #acquire(): Promise<Instance<T>> {
    if (this.#disposed) throw new VisionError('VISION_DISPOSED', 'the model was unloaded');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#count < this.#size) {
      const clock = new RunClock();
      const value = this.#create(clock);
      this.#count += 1;
      return { value, clock, buffers: new BufferPool() };
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #release(instance: Instance<T>): void {
    if (this.#disposed) {
      void this.#destroyOne(instance);
      return;
    }
    const next = this.#waiters.shift();
    if (next) next.resolve(instance);
    else this.#idle.push(instance);
  }

  async #destroyOne(instance: Instance<T>): Promise<void> {
    this.#count -= 1;
    instance.buffers.clear();
    await this.#destroy(instance.value);
  }

  /** Disposes idle instances now and busy ones when their call ends. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.onDispose?.();
    for (const w of this.#waiters.splice(0)) w.reject(new VisionError('VISION_DISPOSED', 'the model was unloaded'));
    await Promise.all(this.#idle.splice(0).map((i) => this.#destroyOne(i)));
  }
}

/**
 * The pool for `key` on these models, created on first use. It is attached to every model's handle;
 * unloading any of them disposes it and detaches it from the others.
 */
export function cachedPool<T>(models: readonly VisionModel[], key: string, create: () => PipelinePool<T>): PipelinePool<T> {
  const fullKey = `${PREFIX}${key}|${models.map((m) => m.id).join('+')}`;
  const first = models[0];
  if (first === undefined) throw new VisionError('VISION_MODEL_MISMATCH', 'a pipeline needs at least one model');
  const existing = first.handle.attachments.get(fullKey);
  if (existing instanceof PipelinePool) return existing as PipelinePool<T>;
  for (const m of models) evictOldVariants(m);
  const pool = create();
  pool.onDispose = () => {
    for (const m of models) if (m.handle.attachments.get(fullKey) === pool) m.handle.attachments.delete(fullKey);
  };
  for (const m of models) m.handle.attachments.set(fullKey, pool);
  return pool;
}

function evictOldVariants(model: VisionModel): void {
  const keys = [...model.handle.attachments.keys()].filter((k) => k.startsWith(PREFIX));
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_VARIANTS_PER_MODEL + 1))) {
    void model.handle.attachments.get(k)?.dispose();
  }
}
