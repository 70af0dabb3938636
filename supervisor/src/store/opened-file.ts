// A cache file opened for serving: either read as a stream, or read chunk by chunk into buffers the
// caller reuses (the ModelFiles hot path: no fresh memory per chunk, so no page faults per chunk).

import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** A byte range of an opened cache file. Use either `stream` or `read`, then let it close. */
export interface OpenedFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** The range as a stream (1 MiB reads); closes the file at its end or when destroyed. */
  readonly stream: Readable;
  /**
   * Reads the next bytes of the range into `into`; resolves with the view of what was read, empty
   * at the end of the range.
   */
  read(into: Buffer): Promise<Buffer>;
  /** Closes the file (idempotent; the stream also closes it). */
  close(): Promise<void>;
}

/** Serves `[start, end]` (inclusive) of an open handle; an empty range when end < start. */
export class CacheFileRange implements OpenedFile {
  #stream: Readable | undefined;
  #position: number;
  #closed = false;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    readonly size: number,
    readonly sha256: string,
    start: number,
    private readonly end: number,
  ) {
    this.#position = start;
  }

  get stream(): Readable {
    if (this.#stream) return this.#stream;
    this.#stream = this.end < this.#position
      ? Readable.from([]).on('close', () => void this.close())
      : this.handle.createReadStream({ start: this.#position, end: this.end, highWaterMark: 1 << 20 });
    return this.#stream;
  }

  async read(into: Buffer): Promise<Buffer> {
    const want = Math.min(into.length, this.end + 1 - this.#position);
    if (want <= 0) return into.subarray(0, 0);
    const { bytesRead } = await this.handle.read(into, 0, want, this.#position);
    this.#position += bytesRead;
    return into.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#stream) this.#stream.destroy();
    else await this.handle.close();
  }
}
