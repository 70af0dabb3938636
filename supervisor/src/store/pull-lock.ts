// Cross-process lock of one model folder while it is pulled, so that tabagent processes sharing a
// cache never download into the same partial file, resume each other's half-written bytes or take
// them for a corrupt cache. The lock is a file created exclusively that names its owner (pid and,
// on Linux, the process start time, so a pid reused after a crash — pid 1 in every container — is
// not mistaken for the owner). A lock whose owner is gone is taken over.
import { readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { mapFsError } from './core/errors.js';

export const PULL_LOCK_FILE = '.pull.lock';
const POLL_MS = 100;
/** A lock file still empty after this long was left by a process that died while creating it. */
const EMPTY_LOCK_STALE_MS = 5_000;

/** Start time of a process (clock ticks since boot), or '' where /proc is not there. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : '';
  }
}

/** This process as a lock owner: "pid starttime". */
export function ownerToken(pid = process.pid): string {
  return `${pid} ${startTimeOf(pid) ?? ''}`;
}

/** Whether the owner a lock file names still runs (a lock being written counts as owned). */
export function ownerAlive(token: string): boolean {
  const [pidText, start] = token.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return token.trim() === '';
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTimeOf(pid);
  return now === undefined ? false : start === undefined || start === '' || now === '' || now === start;
}

function abortable(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(t); reject(signal!.reason as Error); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn` holding the pull lock of `dir`; waits (abortably) while another live process holds it. */
export async function withPullLock<T>(dir: string, opts: { signal?: AbortSignal; log?: Logger }, fn: () => Promise<T>): Promise<T> {
  const path = join(dir, PULL_LOCK_FILE);
  const me = ownerToken();
  let waitingLogged = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(`${me}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw mapFsError(err, path);
    }
    const owner = await readFile(path, 'utf8').catch(() => undefined);
    if (owner === undefined) continue; // released meanwhile
    const emptyAndOld = owner.trim() === '' && Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0) > EMPTY_LOCK_STALE_MS;
    if (emptyAndOld || !ownerAlive(owner)) {
      opts.log?.warn({ dir, owner: owner.trim() }, 'taking over the pull lock of a process that is gone');
      await rm(path, { force: true });
      continue;
    }
    if (!waitingLogged) opts.log?.info({ dir, owner: owner.trim() }, 'waiting for another process pulling into the same cache folder');
    waitingLogged = true;
    await abortable(POLL_MS, opts.signal);
  }
  try {
    return await fn();
  } finally {
    const still = await readFile(path, 'utf8').catch(() => '');
    if (still.trim() === me.trim()) await rm(path, { force: true });
  }
}
