// How many embedding model calls ran with each batch size, per model, since the child started. The
// Runtime Status report carries the counts (cumulative) so the supervisor can turn them into its
// batch-size histogram without scraping the child.
import type { EmbedBatchCount } from '@tabagent/protos/v1/runtime';

/** Cumulative batch-size counts of one ML child. */
export class BatchTally {
  /** Counts by model, then by batch size. */
  readonly #counts = new Map<string, Map<number, number>>();

  /** Counts one model call of `size` texts. */
  record(model: string, size: number): void {
    let bySize = this.#counts.get(model);
    if (!bySize) {
      bySize = new Map();
      this.#counts.set(model, bySize);
    }
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
  }

  /** Every (model, size, count), sorted by model then size. */
  snapshot(): EmbedBatchCount[] {
    const out: EmbedBatchCount[] = [];
    for (const [model, bySize] of [...this.#counts].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [size, count] of [...bySize].sort(([a], [b]) => a - b)) out.push({ model, size, count });
    }
    return out;
  }
}
