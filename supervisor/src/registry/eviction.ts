// LRU eviction: which idle models to unload so a new load fits max-loaded-models and the memory
// budget. The limits hold per ML node: nodeCopies() gives what one node holds.
import type { ModelRecord } from './model-record.js';

/** What eviction needs to know of a loaded model (on one node). */
export type EvictionCandidate = Pick<ModelRecord, 'id' | 'inFlight' | 'lastUsedMs' | 'memoryBytes'>;

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
export function pickEvictions(loaded: readonly EvictionCandidate[], keep: string, incomingBytes: number, limits: EvictionLimits): string[] {
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

/**
 * The models loaded (ready) on one node, as eviction candidates: the copy's memory and calls in
 * flight, the model's last use. A model's only ready copy also counts the calls waiting for it.
 */
export function nodeCopies(records: Iterable<ModelRecord>, node: string): EvictionCandidate[] {
  const out: EvictionCandidate[] = [];
  for (const r of records) {
    const p = r.placements.get(node);
    if (p?.state !== 'ready') continue;
    const only = [...r.placements.values()].filter((x) => x.state === 'ready').length === 1;
    out.push({ id: r.id, memoryBytes: p.memoryBytes, lastUsedMs: r.lastUsedMs, inFlight: Math.max(p.inFlight, only ? r.inFlight : 0) });
  }
  return out;
}

/** Whether one more model of `incomingBytes` fits on a node holding `loaded`, evicting nothing. */
export function fitsWithout(loaded: readonly EvictionCandidate[], keep: string, incomingBytes: number, limits: EvictionLimits): boolean {
  const others = loaded.filter((r) => r.id !== keep);
  const bytes = others.reduce((s, r) => s + r.memoryBytes, 0);
  return !((limits.maxLoaded > 0 && others.length + 1 > limits.maxLoaded) || (limits.budgetBytes > 0 && bytes + incomingBytes > limits.budgetBytes));
}
