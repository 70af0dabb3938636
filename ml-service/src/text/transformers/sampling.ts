// Next-token selection from logits: repetition penalty, temperature, top-k, top-p, seeded sampling.

import type { SamplingParams } from '../options.js';
import type { Rng } from '../rng.js';

/** Index of the largest value; the first one on ties (like llama2.c's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** CTRL-style penalty, in place: positive logits of seen tokens are divided, negative ones multiplied. */
export function applyRepetitionPenalty(logits: Float32Array, seen: Iterable<number>, penalty: number): void {
  if (penalty === 1) return;
  for (const id of new Set(seen)) {
    const v = logits[id];
    if (v !== undefined) logits[id] = v > 0 ? v / penalty : v * penalty;
  }
}

/** Indices of the k largest logits, largest first (ties keep the lower index first). */
export function topKIndices(logits: Float32Array, k: number): number[] {
  const idx = Array.from({ length: logits.length }, (_, i) => i);
  if (k > 0 && k < logits.length) {
    // Partial selection: keep a sorted window of k candidates.
    const kept: number[] = [];
    for (const i of idx) {
      const v = logits[i]!;
      if (kept.length === k && v <= logits[kept[k - 1]!]!) continue;
      let pos = kept.length;
      while (pos > 0 && logits[kept[pos - 1]!]! < v) pos--;
      kept.splice(pos, 0, i);
      if (kept.length > k) kept.pop();
    }
    return kept;
  }
  return idx.sort((a, b) => logits[b]! - logits[a]! || a - b);
}

/**
 * Picks the next token. `logits` is modified (penalty applied). With temperature 0 the result is the
 * arg-max; otherwise candidates are filtered by top-k then top-p and one is drawn with `rng`.
 */
export function sampleToken(logits: Float32Array, p: SamplingParams, seen: Iterable<number>, rng: Rng): number {
  applyRepetitionPenalty(logits, seen, p.repetitionPenalty);
  if (p.temperature === 0 || p.topK === 1) return argmax(logits);
  // Without top-k/top-p no ordering is needed: draw from the whole distribution in index order.
  const candidates = p.topK === 0 && p.topP >= 1 ? Array.from({ length: logits.length }, (_, i) => i) : topKIndices(logits, p.topK);
  const maxLogit = logits[argmax(logits)]!;
  const weights = candidates.map((i) => Math.exp((logits[i]! - maxLogit) / p.temperature));
  let total = weights.reduce((a, b) => a + b, 0);
  let count = candidates.length;
  if (p.topP < 1) {
    let cumulative = 0;
    for (let j = 0; j < candidates.length; j++) {
      cumulative += weights[j]! / total;
      if (cumulative >= p.topP) {
        count = j + 1;
        break;
      }
    }
    total = weights.slice(0, count).reduce((a, b) => a + b, 0);
  }
  let r = rng() * total;
  for (let j = 0; j < count; j++) {
    r -= weights[j]!;
    if (r < 0) return candidates[j]!;
  }
  return candidates[count - 1]!;
}
