// The soak's mixed traffic: every workload opened with a few workers, each calling in a loop (with
// a short pause) until stopped, every finished call counted in the tally.
import type { OpenWorkload, Workload } from '../types.js';
import type { Tally } from './outcome.js';

/** Running traffic: calls answered OK so far, and stop() (waits for the calls in flight). */
export interface Traffic {
  okCalls(): number;
  failedCalls(): number;
  stop(): Promise<void>;
}

/** Starts `workers` loops per workload. */
export async function startTraffic(mix: ReadonlyArray<{ workload: Workload; workers: number }>, tally: Tally, thinkMs: number): Promise<Traffic> {
  let running = true;
  let ok = 0;
  let failed = 0;
  const opened: OpenWorkload[] = [];
  const loops: Array<Promise<void>> = [];
  for (const { workload, workers } of mix) {
    const open = await workload.open(workers);
    opened.push(open);
    for (let w = 0; w < workers; w++) {
      loops.push((async () => {
        while (running) {
          const s = await open.call(w);
          tally.add(workload.name, workload.replaySafe, s);
          if (s.ok) ok += 1;
          else failed += 1;
          await new Promise((r) => setTimeout(r, s.ok ? thinkMs : Math.max(thinkMs, 50)));
        }
      })());
    }
  }
  return {
    okCalls: () => ok,
    failedCalls: () => failed,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await Promise.all(opened.map((o) => o.close()));
    },
  };
}
