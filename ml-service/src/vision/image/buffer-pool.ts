// Reusable typed-array buffers keyed by purpose, owned by one pipeline or stream (never shared globally).

/**
 * Hands out typed arrays by key and keeps them for the next call, so per-frame work does not
 * allocate. A buffer grows when a larger size is asked for; smaller requests get a view of it.
 * Not safe to share between concurrent frames: give each pipeline/stream its own pool.
 */
export class BufferPool {
  private readonly floats = new Map<string, Float32Array>();
  private readonly bytes = new Map<string, Uint8Array>();

  /** A Float32Array of exactly `length` elements (contents unspecified). */
  float32(key: string, length: number): Float32Array {
    const existing = this.floats.get(key);
    if (existing !== undefined && existing.length >= length) {
      return existing.length === length ? existing : existing.subarray(0, length);
    }
    const fresh = new Float32Array(length);
    this.floats.set(key, fresh);
    return fresh;
  }

  /** A Uint8Array of exactly `length` bytes (contents unspecified). */
  uint8(key: string, length: number): Uint8Array {
    const existing = this.bytes.get(key);
    if (existing !== undefined && existing.length >= length) {
      return existing.length === length ? existing : existing.subarray(0, length);
    }
    const fresh = new Uint8Array(length);
    this.bytes.set(key, fresh);
    return fresh;
  }

  /** Total bytes currently held. */
  get byteSize(): number {
    let total = 0;
    for (const b of this.floats.values()) total += b.byteLength;
    for (const b of this.bytes.values()) total += b.byteLength;
    return total;
  }

  /** Drops every buffer (idempotent). */
  clear(): void {
    this.floats.clear();
    this.bytes.clear();
  }
}
