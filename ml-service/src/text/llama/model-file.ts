// Gives llama.cpp the path it insists on for bytes that arrived over the supervisor's file stream.
//
// Choice: a private temporary file, not a memfd. Node has no memfd_create (it would take a native
// addon of our own), while a file in a 0700 folder, opened 0600 with O_EXCL, is as private as the
// user's other files. It is unlinked as soon as llama.cpp has loaded it: llama.cpp mmaps the file
// (or copies it into memory without mmap), and an unlinked file stays readable through that mapping
// on POSIX systems, so the bytes never outlive the load on disk. Where the unlink fails (Windows
// while mapped) it is retried on dispose and at exit; a folder left by a SIGKILLed child is swept by
// the next load (its name carries the pid). A tmpfs (/dev/shm) is preferred when it has room for
// the file (containers often give it 64 MB): the mapping then reads the same pages, nothing reaches a disk.

import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'tabagent-gguf-';

/** The folder private model files of `bytes` bytes are written in (a tmpfs when it has room). */
export function privateFileBase(bytes = 0): string {
  const shm = '/dev/shm';
  if (process.platform !== 'linux' || !existsSync(shm)) return tmpdir();
  try {
    const s = statfsSync(shm);
    return s.bavail * s.bsize > bytes * 1.05 + (16 << 20) ? shm : tmpdir();
  } catch {
    return tmpdir();
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes folders of earlier children that died before they could clean up. */
export function sweepStaleFiles(base: string): number {
  let removed = 0;
  for (const name of readdirSync(base)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(base, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** Sweeps both places a private model file can be in (the tmpfs and the temporary folder). */
export function sweepAllStaleFiles(): number {
  let removed = 0;
  for (const base of new Set([privateFileBase(), tmpdir()])) removed += sweepStaleFiles(base);
  return removed;
}

/** One model file materialised for llama.cpp; `remove()` is idempotent. */
export class PrivateModelFile {
  readonly path: string;
  readonly #dir: string;
  #removed = false;
  readonly #onExit = (): void => {
    this.remove();
  };

  constructor(bytes: Uint8Array, name: string, base = privateFileBase()) {
    this.#dir = mkdtempSync(join(base, `${PREFIX}${process.pid}-`)); // mode 0700
    this.path = join(this.#dir, name);
    process.once('exit', this.#onExit);
    try {
      writeFileSync(this.path, bytes, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      this.remove();
      throw err;
    }
  }

  get removed(): boolean {
    return this.#removed;
  }

  /** Unlinks the file and its folder; returns false when that failed (retried by the next call). */
  remove(): boolean {
    if (this.#removed) return true;
    try {
      rmSync(this.#dir, { recursive: true, force: true });
    } catch {
      return false;
    }
    this.#removed = true;
    process.removeListener('exit', this.#onExit);
    return true;
  }
}
