// sha256 helpers: hashing files on disk and checking hex digests.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** sha256 (lower-case hex) and size of a file, streamed so large files use little memory. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** sha256 (lower-case hex) of bytes in memory. */
export function hashBytes(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
