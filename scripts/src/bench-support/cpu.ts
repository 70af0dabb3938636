// CPU time of processes, for benchmarks that report CPU per call or per frame: another process's
// utime + stime from /proc/<pid>/stat (Linux), and this process's own from process.cpuUsage().
import { readFileSync } from 'node:fs';

const TICK = 100; // clock ticks per second of /proc/<pid>/stat on Linux

/** utime + stime of a process in ms, or undefined once it is gone (or off Linux). */
export function cpuMs(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICK;
  } catch {
    return undefined;
  }
}

/** This process's user + system CPU in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
