// Tokenizer of the Universal Sentence Encoder lite: a SentencePiece unigram vocabulary ([piece, score]
// pairs in vocab.json) segmented with the Viterbi algorithm over a prefix trie.

/** Word-boundary marker of SentencePiece (U+2581). */
const BOUNDARY = '\u2581';
/** Ids below this are unk / control symbols and never matched against text. */
const RESERVED = 6;
/** Id of the unknown-piece token. */
export const UNK_ID = 0;

interface TrieNode {
  children: Map<string, TrieNode>;
  /** [id, score] when a piece ends here. */
  piece?: [number, number];
}

/** A USE lite vocabulary: entry i is [piece, log-probability score]; user-defined pieces have a null score (0). */
export type UseVocabulary = readonly (readonly [string, number | null])[];

/** Checks the shape of a parsed vocab.json. */
export function isUseVocabulary(v: unknown): v is UseVocabulary {
  return Array.isArray(v) && v.length > RESERVED && v.every((e) => Array.isArray(e) && typeof e[0] === 'string' && (typeof e[1] === 'number' || e[1] === null));
}

/** Splits sentences into USE lite token ids. */
export class UseTokenizer {
  private readonly root: TrieNode = { children: new Map() };
  /** Score of a character no piece covers: below every real piece, so it is a last resort. */
  private readonly unkScore: number;

  constructor(vocabulary: UseVocabulary) {
    let min = 0;
    for (let id = RESERVED; id < vocabulary.length; id++) {
      const [piece, raw] = vocabulary[id]!;
      const score = raw ?? 0;
      min = Math.min(min, score);
      let node = this.root;
      for (const ch of piece) {
        let next = node.children.get(ch);
        if (!next) {
          next = { children: new Map() };
          node.children.set(ch, next);
        }
        node = next;
      }
      node.piece = [id, score];
    }
    this.unkScore = min - 10;
  }

  /** Token ids of one sentence (NFKC, spaces become U+2581, a leading U+2581 is added). */
  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized === '') return [];
    const chars = [...(BOUNDARY + normalized.replace(/ /g, BOUNDARY))];
    const n = chars.length;
    // best[i]: highest total score of a segmentation of chars[0..i); from[i]: [start, id] of its last piece.
    const best = new Float64Array(n + 1).fill(-Infinity);
    const fromStart = new Int32Array(n + 1);
    const fromId = new Int32Array(n + 1);
    best[0] = 0;
    for (let start = 0; start < n; start++) {
      const base = best[start]!;
      if (base === -Infinity) continue;
      let node: TrieNode | undefined = this.root;
      let matchedSingle = false;
      for (let end = start; end < n && node; end++) {
        node = node.children.get(chars[end]!);
        if (node?.piece) {
          if (end === start) matchedSingle = true;
          const score = base + node.piece[1];
          if (score > best[end + 1]!) {
            best[end + 1] = score;
            fromStart[end + 1] = start;
            fromId[end + 1] = node.piece[0];
          }
        }
      }
      if (!matchedSingle) {
        const score = base + this.unkScore;
        if (score > best[start + 1]!) {
          best[start + 1] = score;
          fromStart[start + 1] = start;
          fromId[start + 1] = UNK_ID;
        }
      }
    }
    const ids: number[] = [];
    for (let at = n; at > 0; at = fromStart[at]!) ids.push(fromId[at]!);
    ids.reverse();
    // Runs of unknown characters become one unk token.
    return ids.filter((id, i) => !(id === UNK_ID && ids[i - 1] === UNK_ID));
  }
}

/** The sparse (indices, values) input of USE lite for rows of token ids: [row, position] pairs and ids. */
export function sparseIds(rows: readonly (readonly number[])[]): { indices: Int32Array; values: Int32Array } {
  const count = rows.reduce((n, r) => n + r.length, 0);
  const indices = new Int32Array(count * 2);
  const values = new Int32Array(count);
  let k = 0;
  rows.forEach((row, i) => row.forEach((id, j) => {
    indices[2 * k] = i;
    indices[2 * k + 1] = j;
    values[k++] = id;
  }));
  return { indices, values };
}
