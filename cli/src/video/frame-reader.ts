// Reads a child's raw-video output straight into whole-frame buffers. The child's stdout is one end
// of a local socket whose other end this process reads with `onread`: every read lands in the frame
// being filled, so there is no 64 KiB chunk per read to allocate, copy and collect. Frame buffers come
// from a small pool and go back to it with `release`, so a steady stream allocates nothing per frame.
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whole-frame buffers reused across frames; `acquire` allocates only when every buffer is out. */
export class FramePool {
  private readonly free: Buffer[] = [];

  constructor(readonly frameBytes: number) {}

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.frameBytes);
  }

  /** Returns a buffer handed out by `acquire`; its contents may be overwritten from now on. */
  release(frame: Buffer): void {
    if (frame.length === this.frameBytes && !this.free.includes(frame)) this.free.push(frame);
  }
}

/** A connected local socket pair: `child` goes to a child's stdio, `reader` stays here. */
export interface SocketPair {
  child: Socket;
  reader: Socket;
}

/** Where the pair's listening socket lives for the moment it takes to connect. */
function socketPath(): string {
  const name = `tabagent-frames-${process.pid}-${randomUUID()}`;
  return process.platform === 'win32' ? `\\\\.\\pipe\\${name}` : join(tmpdir(), `${name}.sock`);
}

/**
 * Opens a socket pair whose reading end fills whole frames from `pool`: `onFrame` gets each full
 * frame (give it back with `pool.release`). A partial frame at the writer's end is discarded.
 */
export async function openFrameSocket(pool: FramePool, onFrame: (frame: Buffer) => void): Promise<SocketPair> {
  const server = createServer();
  const path = socketPath();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  try {
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const fill = { frame: pool.acquire(), filled: 0 };
    const reader = connect({
      path,
      onread: {
        buffer: () => fill.frame.subarray(fill.filled),
        callback: (n: number) => {
          fill.filled += n;
          if (fill.filled < pool.frameBytes) return true;
          const full = fill.frame;
          fill.frame = pool.acquire();
          fill.filled = 0;
          onFrame(full);
          return true;
        },
      },
    });
    await new Promise<void>((resolve, reject) => {
      reader.once('connect', resolve);
      reader.once('error', reject);
    });
    return { child: await accepted, reader };
  } finally {
    server.close(); // also removes the socket file; the pair stays connected
  }
}
