// Derives an ordered BPE merge list from SentencePiece pieces and scores.

import type { VocabEntry } from './tokenizer-bin.js';

/**
 * SentencePiece BPE merges the adjacent pair whose concatenation is the highest-scoring piece.
 * An ordered merge list reproduces that: every split (left, right) of a mergeable piece where both
 * halves are in the vocabulary, ranked by the piece's score (then id), then by the halves' ids.
 */
export function deriveMerges(entries: readonly VocabEntry[]): [string, string][] {
  const ids = new Map<string, number>();
  entries.forEach((e, id) => {
    if (e.type === 'normal' || e.type === 'user_defined') ids.set(e.piece, id);
  });
  const found: { left: string; right: string; id: number; leftId: number; rightId: number }[] = [];
  entries.forEach((e, id) => {
    if (e.type !== 'normal') return;
    const chars = Array.from(e.piece);
    for (let k = 1; k < chars.length; k++) {
      const left = chars.slice(0, k).join('');
      const right = chars.slice(k).join('');
      const leftId = ids.get(left);
      const rightId = ids.get(right);
      if (leftId !== undefined && rightId !== undefined) found.push({ left, right, id, leftId, rightId });
    }
  });
  found.sort((a, b) => {
    const byScore = entries[b.id]!.score - entries[a.id]!.score;
    return byScore !== 0 ? byScore : a.id - b.id || a.leftId - b.leftId || a.rightId - b.rightId;
  });
  return found.map((m) => [m.left, m.right]);
}
