// The frame entry shared by the detector → landmarks pipelines (hands, pose): request options are
// checked before queueing, calls run one at a time (their buffers are reused between frames),
// frames are decoded into pooled RGB, and dispose() is idempotent, releasing the sessions the
// pipeline owns once the call in progress has finished.

import { Exclusive } from '../calculators/exclusive.js';
import type { Frame, RgbImage } from '../types.js';
import { BufferPool } from './buffer-pool.js';
import { VisionError } from '../errors.js';
import { frameToRgb } from './frame.js';

/** Something dispose() releases (an onnxruntime session). */
export interface Releasable {
  release(): Promise<void>;
}

export abstract class SerialPipeline<Request, Resolved, Result> {
  protected readonly pool = new BufferPool();
  protected readonly exclusive = new Exclusive();
  #disposed = false;

  /**
   * `name` appears in the VISION_DISPOSED message; `owned()` lists the sessions to release on
   * dispose (empty when the caller keeps them).
   */
  protected constructor(private readonly name: string, private readonly owned: () => readonly Releasable[]) {}

  /** Checks and completes the request options; throws VISION_INVALID_ARGUMENT naming a bad one. */
  protected abstract resolve(request: Request | undefined): Resolved;

  /** Runs the pipeline on decoded RGB (composite pipelines call it directly and serialise themselves). */
  abstract runRgb(image: RgbImage, opts: Resolved): Promise<Result[]>;

  /** Decodes the frame and runs the pipeline. Throws VISION_INVALID_ARGUMENT for bad frames or options. */
  async detect(frame: Frame, request?: Request): Promise<Result[]> {
    this.assertLive();
    const opts = this.resolve(request);
    return this.exclusive.run(async () => {
      this.assertLive();
      const image = await frameToRgb(frame, undefined, this.pool);
      return this.runRgb(image, opts);
    });
  }

  /** Releases buffers (and the owned sessions). Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.exclusive.run(async () => {
      this.pool.clear();
      await Promise.all(this.owned().map((s) => s.release()));
    });
  }

  protected assertLive(): void {
    if (this.#disposed) throw new VisionError('VISION_DISPOSED', `${this.name} has been disposed`);
  }
}
