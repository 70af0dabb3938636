// Turns the cumulative embedding batch counts an ML node reports (Runtime Status) into observations
// of the supervisor's batch-size histogram: each report adds what grew since the node's previous one.
// A node whose process changed (another pid, or its uptime went back) starts again from zero.
import type { EmbedBatchCount } from '@tabagent/protos/v1/runtime';

/** What one node reported. */
export interface BatchReport {
  readonly pid: number;
  readonly uptimeSeconds: number;
  readonly embedBatches: readonly EmbedBatchCount[];
}

interface Seen {
  pid: number;
  uptimeSeconds: number;
  readonly counts: Map<string, number>;
}

/** The previous report of every node. */
export class BatchDeltas {
  readonly #seen = new Map<string, Seen>();

  /** Calls `observe(model, size, times)` for every count that grew since the node's previous report. */
  apply(node: string, report: BatchReport, observe: (model: string, size: number, times: number) => void): void {
    let seen = this.#seen.get(node);
    if (!seen || seen.pid !== report.pid || report.uptimeSeconds < seen.uptimeSeconds) {
      seen = { pid: report.pid, uptimeSeconds: report.uptimeSeconds, counts: new Map() };
      this.#seen.set(node, seen);
    }
    seen.uptimeSeconds = report.uptimeSeconds;
    for (const b of report.embedBatches) {
      const key = `${b.model}\0${b.size}`;
      const grew = b.count - (seen.counts.get(key) ?? 0);
      if (grew <= 0) continue;
      seen.counts.set(key, b.count);
      observe(b.model, b.size, grew);
    }
  }

  /** Forgets a node that left. */
  forget(node: string): void {
    this.#seen.delete(node);
  }
}
