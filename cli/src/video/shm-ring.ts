// A ring of frame slots in a POSIX shared-memory file (a file in /dev/shm), registered with the
// server's SharedMemory service, so a local server reads frame pixels without them crossing gRPC.
// A slot is busy from the frame's send until its result (or a result listing it as dropped).
import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class ShmRing {
  private readonly fd: number;
  private readonly busy: boolean[];
  readonly path: string;

  constructor(dir: string, readonly key: string, readonly frameBytes: number, readonly slots: number) {
    this.path = join(dir, key.replace(/^\//, ''));
    this.fd = openSync(this.path, 'w+', 0o600);
    ftruncateSync(this.fd, frameBytes * slots);
    this.busy = Array.from({ length: slots }, () => false);
  }

  get byteSize(): number {
    return this.frameBytes * this.slots;
  }

  /** Copies a frame into a free slot; returns its byte offset, or undefined when every slot is busy. */
  put(frame: Buffer): number | undefined {
    const slot = this.busy.indexOf(false);
    if (slot < 0) return undefined;
    this.busy[slot] = true;
    writeSync(this.fd, frame, 0, this.frameBytes, slot * this.frameBytes);
    return slot * this.frameBytes;
  }

  release(offset: number): void {
    this.busy[offset / this.frameBytes] = false;
  }

  close(): void {
    closeSync(this.fd);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
