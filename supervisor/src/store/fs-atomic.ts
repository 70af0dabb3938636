// Crash-safe file writes for the cache: temp file in the same folder, fsync, rename, fsync the folder.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A hidden temp path beside `dest` (same folder, so the final rename is atomic). */
export function tempPathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The fixed path of a resumable partial download of `dest`. */
export function partialPathFor(dest: string): string {
  return join(dirname(dest), `.${basename(dest)}.partial`);
}

/** fsyncs a file or folder; folders that cannot be opened for sync (some platforms) are ignored. */
export async function fsyncPath(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw err;
  } finally {
    await handle?.close();
  }
}

/** fsyncs `src`, renames it over `dest`, then fsyncs the folder so the rename survives a crash. */
export async function commitFile(src: string, dest: string): Promise<void> {
  await fsyncPath(src);
  await mkdir(dirname(dest), { recursive: true });
  await rename(src, dest);
  await fsyncPath(dirname(dest));
}

/** Writes `data` to `dest` atomically: readers see the old file or the whole new one. */
export async function writeFileAtomic(dest: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, dest);
    await fsyncPath(dirname(dest));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
