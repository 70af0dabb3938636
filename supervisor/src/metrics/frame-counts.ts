// Frames of Track streams, processed and dropped, by stream kind (the TrackTask, e.g. "hands"). The
// label children are built once per kind, so counting a frame allocates nothing.
import { Counter, type Registry } from 'prom-client';
import { TrackTask } from '@tabagent/protos/v1/vision';

/** The label of a TrackTask: "faces", "face_mesh", ... ("unspecified", "unknown" for others). */
export function trackKind(task: number): string {
  const name = (TrackTask as unknown as Record<number, string | undefined>)[task];
  return name?.startsWith('TRACK_TASK_') === true ? name.slice('TRACK_TASK_'.length).toLowerCase() : 'unknown';
}

interface KindCounters {
  readonly processed: Counter.Internal;
  readonly dropped: Counter.Internal;
}

/** The two frame counters with one cached pair of label children per task number. */
export class FrameCounts {
  readonly #processed: Counter<'kind'>;
  readonly #dropped: Counter<'kind'>;
  readonly #byTask = new Map<number, KindCounters>();

  constructor(registry: Registry) {
    this.#processed = new Counter({
      name: 'tabagent_track_frames_processed_total', help: 'Track stream frames that got a result, by stream kind',
      labelNames: ['kind'] as const, registers: [registry],
    });
    this.#dropped = new Counter({
      name: 'tabagent_track_frames_dropped_total', help: 'Track stream frames that got no result (replaced by a newer frame, or no ML child ready), by stream kind',
      labelNames: ['kind'] as const, registers: [registry],
    });
  }

  #of(task: number): KindCounters {
    let c = this.#byTask.get(task);
    if (!c) {
      const kind = trackKind(task);
      c = { processed: this.#processed.labels(kind), dropped: this.#dropped.labels(kind) };
      this.#byTask.set(task, c);
    }
    return c;
  }

  /** Counts frames of a task: `processed` with a result, `dropped` without. */
  frames(task: number, processed: number, dropped: number): void {
    const c = this.#of(task);
    if (processed > 0) c.processed.inc(processed);
    if (dropped > 0) c.dropped.inc(dropped);
  }
}
