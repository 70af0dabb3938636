// LRU eviction: which idle models to unload so a new load fits max-loaded-models and the memory budget.
import type { ModelRecord } from './model-record.js';

/** Limits; 0 = no limit. */
export interface EvictionLimits {
  readonly maxLoaded: number;
  readonly budgetBytes: number;
}

/**
 * Picks least-recently-used loaded, idle models (never `keep`, never busy) to unload so that one more
 * model of `incomingBytes` fits. Returns ids in unload order; may return fewer than needed when the
 * rest are busy (the load then goes ahead over the limit and is logged).
 */
export function pickEvictions(loaded: readonly ModelRecord[], keep: string, incomingBytes: number, limits: EvictionLimits): string[] {
  const candidates = loaded.filter((r) => r.id !== keep && r.inFlight === 0).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let count = loaded.filter((r) => r.id !== keep).length;
  let bytes = loaded.filter((r) => r.id !== keep).reduce((s, r) => s + r.memoryBytes, 0);
  const out: string[] = [];
  const over = (): boolean =>
    (limits.maxLoaded > 0 && count + 1 > limits.maxLoaded) || (limits.budgetBytes > 0 && bytes + incomingBytes > limits.budgetBytes);
  for (const r of candidates) {
    if (!over()) break;
    out.push(r.id);
    count -= 1;
    bytes -= r.memoryBytes;
  }
  return out;
}
