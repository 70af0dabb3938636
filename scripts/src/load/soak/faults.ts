// The soak's faults: the ML child SIGKILLed every `killEveryS` seconds and, once, SIGSTOPped (a hang:
// alive, silent), which the supervisor's liveness check must notice (no answer to health checks for
// --hang-timeout-ms) and answer by killing the child and starting a new one. Each fault waits for a
// ready child first and then measures how long until another ready child serves.
import { readFileSync } from 'node:fs';

/** One planned fault, `atS` seconds after the soak starts. */
export interface Fault {
  readonly atS: number;
  readonly kind: 'kill' | 'stop';
}

/** Room left after the stop for the hang to be noticed and a new child to start. */
const STOP_MARGIN_S = 20;

/** Kills at every multiple of `killEveryS` before the end, and one stop half-way between the first two kills (mid-run when that is too late). */
export function faultSchedule(durationS: number, killEveryS: number): Fault[] {
  const out: Fault[] = [];
  for (let t = killEveryS; t < durationS; t += killEveryS) out.push({ atS: t, kind: 'kill' });
  const stopAt = 1.5 * killEveryS <= durationS - STOP_MARGIN_S ? 1.5 * killEveryS : durationS / 2;
  out.push({ atS: stopAt, kind: 'stop' });
  return out.sort((a, b) => a.atS - b.atS);
}

/** What the faults need from the server: its child's state and pid (GetRuntimeStatus). */
export interface ChildControl {
  status(): Promise<{ state: string; pid: number | undefined; restarts: number }>;
}

/** What one fault did. */
export interface FaultResult {
  readonly kind: Fault['kind'];
  readonly atS: number;
  readonly pid: number;
  /** Milliseconds from the signal until a new child was ready (NaN when none came within the limit). */
  readonly recoveredMs: number;
  /** For a stop: milliseconds until the stopped process was gone (killed by the supervisor's liveness check); NaN when it never was. */
  readonly detectedMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether `pid` is a live (not zombie) process. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Resolves true once `pid` is gone, false after `timeoutMs`. */
async function whenGone(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** Waits until the child is ready; with `other`, a child other than that pid. Returns its pid. */
export async function readyChild(control: ChildControl, timeoutMs: number, other?: number): Promise<number | undefined> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const s = await control.status().catch(() => undefined);
    if (s?.state === 'ready' && s.pid !== undefined && s.pid !== other) return s.pid;
    await sleep(100);
  }
  return undefined;
}

/** Injects one fault into the current child; `stopped` collects pids left SIGSTOPped so a cleanup can resume them. */
export async function inject(fault: Fault, control: ChildControl, nowS: () => number, limitMs: number, stopped: Set<number>): Promise<FaultResult | undefined> {
  const pid = await readyChild(control, limitMs);
  if (pid === undefined) return undefined;
  const atS = nowS();
  const t0 = Date.now();
  if (fault.kind === 'kill') {
    process.kill(pid, 'SIGKILL');
  } else {
    stopped.add(pid);
    process.kill(pid, 'SIGSTOP');
  }
  const gone = fault.kind === 'stop' ? whenGone(pid, limitMs).then((ok) => (ok ? Date.now() - t0 : NaN)) : Promise.resolve(NaN);
  const next = await readyChild(control, limitMs, pid);
  const recoveredMs = next === undefined ? NaN : Date.now() - t0;
  if (fault.kind === 'kill') return { kind: 'kill', atS, pid, recoveredMs };
  const detectedMs = await gone;
  resume(stopped);
  return { kind: 'stop', atS, pid, recoveredMs, detectedMs };
}

/** Resumes (SIGCONT) and then kills every process the faults stopped that is still there. */
export function resume(stopped: Set<number>): void {
  for (const pid of stopped) {
    if (alive(pid)) {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    }
    stopped.delete(pid);
  }
}
