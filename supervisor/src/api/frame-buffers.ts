// Reusable buffers for the request messages the pass-through forwarder holds while a call is in
// flight. A 640×480 frame is a 921,600-byte message; allocating one per call made V8 run a full
// mark-compact every few calls (the external memory of ArrayBuffers counts toward its GC trigger),
// which cost the supervisor more CPU than everything else it does per call. A released buffer is
// handed to the next call that fits in it; a few are kept, the rest are left to the GC.

/** Messages smaller than this come from Node's own allocation pool instead. */
export const POOLED_MIN_BYTES = 64 << 10;

/** Free buffers kept at most, and their total bytes at most. */
const MAX_FREE = 8;
const MAX_FREE_BYTES = 64 << 20;

/** A free list of large buffers. */
export class FrameBuffers {
  readonly #free: Buffer[] = [];
  #freeBytes = 0;

  /** A buffer of exactly `size` bytes (a view of a pooled one when size is large); contents undefined. */
  acquire(size: number): Buffer {
    if (size < POOLED_MIN_BYTES) return Buffer.allocUnsafe(size);
    // The smallest free buffer that fits, so small frames do not take the big ones.
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const b = this.#free[i]!;
      if (b.length >= size && (best < 0 || b.length < this.#free[best]!.length)) best = i;
    }
    if (best < 0) return Buffer.allocUnsafeSlow(size);
    const [whole] = this.#free.splice(best, 1);
    this.#freeBytes -= whole!.length;
    return whole!.subarray(0, size);
  }

  /** Gives back a buffer from acquire(); it must no longer be read or written by anyone. */
  release(buf: Buffer): void {
    if (buf.length < POOLED_MIN_BYTES) return;
    const whole = Buffer.from(buf.buffer, 0, buf.buffer.byteLength);
    if (this.#free.length >= MAX_FREE || this.#freeBytes + whole.length > MAX_FREE_BYTES) return;
    this.#free.push(whole);
    this.#freeBytes += whole.length;
  }

  /** Free buffers held (for tests). */
  get freeCount(): number {
    return this.#free.length;
  }
}
