// Process-table helpers for orphan checks (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** Parent pid of a process, or undefined when it is gone. */
function ppidOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(after[1]);
  } catch {
    return undefined;
  }
}

/** All descendants of `pid`. */
export function childPidsOf(pid: number): number[] {
  const all = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  const parents = new Map<number, number>();
  for (const p of all) {
    const pp = ppidOf(p);
    if (pp !== undefined) parents.set(p, pp);
  }
  const out: number[] = [];
  const walk = (parent: number): void => {
    for (const [p, pp] of parents) if (pp === parent && !out.includes(p)) {
      out.push(p);
      walk(p);
    }
  };
  walk(pid);
  return out;
}

/** Whether a process exists (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Resolves true when every pid is gone within timeoutMs. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (pids.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids.every((p) => !isAlive(p));
}
