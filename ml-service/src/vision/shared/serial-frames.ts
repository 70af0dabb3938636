// The call protocol every stateful vision pipeline shares: calls are serialised (they reuse pooled
// buffers), a frame is decoded/converted into the pool and timed before the pipeline's step runs,
// and dispose() is idempotent, after which every call fails with VISION_DISPOSED.
import { Exclusive } from '../calculators/exclusive.js';
import { BufferPool } from '../image/buffer-pool.js';
import type { FrameLimits } from '../image/convert.js';
import { VisionError } from '../errors.js';
import { frameToRgb } from '../image/frame.js';
import type { Frame, RgbImage } from '../types.js';

export class SerialFrames {
  /** Buffers reused across frames by the owner's models. */
  readonly pool = new BufferPool();
  readonly #exclusive = new Exclusive();
  #disposed = false;

  /** `name` appears in VISION_DISPOSED messages. */
  constructor(private readonly name: string, private readonly limits: FrameLimits) {}

  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Decodes `frame` into the pool, runs `step` on the image, then hands the decode time to
   * `recordDecode` (after the step, which resets the owner's timings), all before the next call starts.
   */
  decode<R>(frame: Frame, step: (image: RgbImage) => Promise<R>, recordDecode: (decodeMs: number) => void): Promise<R> {
    return this.run(async () => {
      const t0 = performance.now();
      const image = await frameToRgb(frame, this.limits, this.pool);
      const decodeMs = performance.now() - t0;
      const result = await step(image);
      recordDecode(decodeMs);
      return result;
    });
  }

  /** Runs `task` serialised with every other call, checking liveness before and when its turn comes. */
  async run<R>(task: () => Promise<R>): Promise<R> {
    this.assertLive();
    return this.#exclusive.run(async () => {
      this.assertLive();
      return task();
    });
  }

  /** Marks the owner disposed and frees the pool; true only on the first call. */
  dispose(): boolean {
    if (this.#disposed) return false;
    this.#disposed = true;
    this.pool.clear();
    return true;
  }

  assertLive(): void {
    if (this.#disposed) throw new VisionError('VISION_DISPOSED', `${this.name} was disposed`);
  }
}
