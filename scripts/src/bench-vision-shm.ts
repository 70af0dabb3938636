// bench:vision's shared-memory client: a region of `slots` frame-sized slots in the server's
// shared-memory folder, registered once; every frame is written into its slot (the client's copy,
// timed with the call, as a camera client would) and sent as Frame.shared_memory.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { SharedMemoryClient } from '@tabagent/protos/v1/shared_memory';
import { PixelFormat, type DeepPartial, type Frame } from '@tabagent/protos/v1/vision';
import type { RawFrame } from '../../ml-service/dist/vision/types.js';
import { benchDir } from './bench-support/paths.js';

/** The proto Frame fields of one frame. */
export type FrameFields = DeepPartial<Frame>;

/** Yields the Frame of the i-th request. */
export type FrameSource = (i: number) => FrameFields;

/** The folder benchmarks use as --shm-dir: tmpfs when the machine has /dev/shm. */
export function benchShmDir(): string {
  const dir = existsSync('/dev/shm') ? join('/dev/shm', `tabagent-bench-${process.pid}`) : join(benchDir('vision'), 'shm');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Frames carried in the message (`data`). */
export function inlineFrames(f: RawFrame): FrameSource {
  const data = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
  const fields = { data, width: f.width, height: f.height, format: PixelFormat.PIXEL_FORMAT_RGB };
  return () => fields;
}

/** A registered region and the frame source that writes into it. */
export interface ShmFrames {
  source: FrameSource;
  close(): Promise<void>;
}

/** Creates, registers and fills a region of `slots` slots for frames like `f`. */
export async function shmFrames(address: string, dir: string, f: RawFrame, slots = 4): Promise<ShmFrames> {
  const size = f.data.byteLength;
  const key = `frames-${process.pid}-${Date.now()}`;
  const path = join(dir, key);
  const fd = openSync(path, 'w+');
  writeSync(fd, Buffer.alloc(size * slots));
  const client = new SharedMemoryClient(address, credentials.createInsecure(), grpcChannelOptions());
  await new Promise<void>((resolve, reject) => client.register({ name: key, key: `/${key}`, byteSize: size * slots },
    (err: ServiceError | null) => (err ? reject(err) : resolve())));
  const source: FrameSource = (i) => {
    const offset = (i % slots) * size;
    writeSync(fd, f.data, 0, size, offset);
    return { width: f.width, height: f.height, format: PixelFormat.PIXEL_FORMAT_RGB, sharedMemory: { region: key, offset, byteSize: size } };
  };
  return {
    source,
    close: async () => {
      await new Promise<void>((resolve) => client.unregister({ name: key }, () => resolve()));
      client.close();
      closeSync(fd);
      rmSync(path, { force: true });
    },
  };
}
