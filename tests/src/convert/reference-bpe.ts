// Reference llama2.c tokenizer encoder (greedy highest-score merges with byte fallback), used by tests.

/** Vocabulary of a tokenizer.bin: raw piece strings (spaces as spaces) and scores. */
export interface ReferenceVocab {
  readonly pieces: string[];
  readonly scores: number[];
}

export function readReferenceVocab(bin: Uint8Array, vocabSize: number): ReferenceVocab {
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  const pieces: string[] = [];
  const scores: number[] = [];
  let offset = 4;
  for (let i = 0; i < vocabSize; i++) {
    scores.push(view.getFloat32(offset, true));
    const n = view.getInt32(offset + 4, true);
    offset += 8;
    pieces.push(new TextDecoder().decode(bin.subarray(offset, offset + n)));
    offset += n;
  }
  return { pieces, scores };
}

/** Encodes like llama2.c's `encode(text, bos=0, eos=0)`: dummy prefix, code points, then merges. */
export function referenceEncode(v: ReferenceVocab, text: string): number[] {
  const lookup = new Map<string, number>();
  v.pieces.forEach((p, i) => {
    if (!lookup.has(p)) lookup.set(p, i);
  });
  const tokens: number[] = [];
  if (text !== '') tokens.push(lookup.get(' ')!);
  for (const ch of text) {
    const id = lookup.get(ch);
    if (id !== undefined) tokens.push(id);
    else for (const byte of new TextEncoder().encode(ch)) tokens.push(byte + 3);
  }
  for (;;) {
    let bestScore = -1e10;
    let bestId = -1;
    let bestIdx = -1;
    for (let i = 0; i < tokens.length - 1; i++) {
      const id = lookup.get(v.pieces[tokens[i]!]! + v.pieces[tokens[i + 1]!]!);
      if (id !== undefined && v.scores[id]! > bestScore) {
        bestScore = v.scores[id]!;
        bestId = id;
        bestIdx = i;
      }
    }
    if (bestIdx < 0) return tokens;
    tokens.splice(bestIdx, 2, bestId);
  }
}
