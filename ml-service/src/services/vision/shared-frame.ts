// Frame.shared_memory: reads a frame's pixels from a registered shared-memory region (the
// supervisor resolves region names to files and sends them in call metadata, see
// @tabagent/common's shared-memory.ts) and hands on a Frame with `data` set, so everything after
// this point treats it like pixels that came in the message. One read of byte_size bytes, no
// other copy.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import type { Metadata } from '@grpc/grpc-js';
import { SHM_KEY, decodeRegions, type ResolvedRegion } from '@tabagent/common';
import type { Frame as ProtoFrame } from '@tabagent/protos/v1/vision';
import type { BufferPool } from '../../vision/image/buffer-pool.js';
import { VisionError, invalidArgument } from '../../vision/errors.js';

/** The regions a call may read (none when the metadata has no entry). */
export function regionsOf(metadata: Metadata): ResolvedRegion[] {
  const raw = metadata.get(SHM_KEY)[0];
  return typeof raw === 'string' ? decodeRegions(raw) : [];
}

function notFound(field: string, problem: string): VisionError {
  return new VisionError('VISION_NOT_FOUND', `${field}: ${problem}`, field);
}

/** Reads `length` bytes at `offset` of `path` into `into`; returns how many were read. */
function readAt(path: string, into: Uint8Array, offset: number, field: string, region: string): number {
  let fd: number;
  try {
    // Never through a symlink: the supervisor registered a regular file of its shared-memory folder.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') {
      throw invalidArgument(field, `the file of region "${region}" was replaced by a symlink after registration; refused`);
    }
    throw notFound(field, `the file of region "${region}" cannot be opened (removed after registration?)`);
  }
  try {
    let done = 0;
    while (done < into.length) {
      const n = readSync(fd, into, done, into.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  } finally {
    closeSync(fd);
  }
}

/**
 * `frame` with its shared-memory pixels read into `data`, a buffer of `pool` reused across calls
 * (the file is opened for each read: a client may replace the object behind a name); other frames
 * are returned as they are. Errors name the field, e.g. `frame.shared_memory.region`.
 */
export function readSharedFrame(frame: ProtoFrame | undefined, regions: readonly ResolvedRegion[], pool: BufferPool, field = 'frame'): ProtoFrame | undefined {
  const ref = frame?.sharedMemory;
  if (frame === undefined || ref === undefined) return frame;
  const at = `${field}.shared_memory`;
  if (frame.data.length > 0 || frame.encoded.length > 0) throw invalidArgument(field, 'set one of data, encoded and shared_memory');
  const region = regions.find((r) => r.name === ref.region);
  if (region === undefined) {
    throw notFound(`${at}.region`, ref.region === '' ? 'is required' : `no shared-memory region "${ref.region}" is registered`);
  }
  if (!Number.isSafeInteger(ref.byteSize) || ref.byteSize <= 0) throw invalidArgument(`${at}.byte_size`, `must be positive, got ${ref.byteSize}`);
  if (!Number.isSafeInteger(ref.offset) || ref.offset < 0 || ref.offset + ref.byteSize > region.byteSize) {
    throw invalidArgument(`${at}.byte_size`, `offset ${ref.offset} + byte_size ${ref.byteSize} exceeds region "${region.name}" (${region.byteSize} bytes)`);
  }
  const data = pool.uint8('shared-frame', ref.byteSize);
  const read = readAt(region.path, data, ref.offset, `${at}.region`, region.name);
  if (read < ref.byteSize) {
    throw invalidArgument(`${at}.byte_size`, `region "${region.name}" holds only ${read} bytes from offset ${ref.offset} (its file shrank)`);
  }
  return { ...frame, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), sharedMemory: undefined };
}
