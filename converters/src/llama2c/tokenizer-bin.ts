// Parses a llama2.c tokenizer.bin (max token length, then score/length/bytes per token) into vocabulary entries.

import { Llama2cError } from './errors.js';

/** SentencePiece piece types (values of sentencepiece.ModelProto.SentencePiece.Type). */
export type PieceType = 'normal' | 'unknown' | 'control' | 'user_defined' | 'byte' | 'unused';

/** One vocabulary entry, with spaces written as U+2581 like SentencePiece does. */
export interface VocabEntry {
  readonly piece: string;
  readonly score: number;
  readonly type: PieceType;
}

/** The SentencePiece word-boundary marker. */
export const SPACE_MARK = '\u2581';

const BYTE_PIECE = /^<0x[0-9A-F]{2}>$/;
const SPECIALS: Readonly<Record<number, [string, PieceType]>> = {
  0: ['<unk>', 'unknown'],
  1: ['<s>', 'control'],
  2: ['</s>', 'control'],
};

/**
 * Reads `vocabSize` entries. llama2.c stores pieces with U+2581 replaced by a space and BOS/EOS
 * wrapped in newlines; ids 0..2 are <unk>, <s>, </s> and `<0xXX>` pieces are byte-fallback tokens.
 */
export function parseTokenizerBin(bytes: Uint8Array, vocabSize: number): VocabEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const fail = (why: string, index: number): never => {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer.bin token ${index}: ${why}`, { field: 'tokenizer', index });
  };
  let offset = 4; // max_token_length: not needed
  const entries: VocabEntry[] = [];
  for (let i = 0; i < vocabSize; i++) {
    if (offset + 8 > bytes.byteLength) fail('file ends early', i);
    const score = view.getFloat32(offset, true);
    const length = view.getInt32(offset + 4, true);
    offset += 8;
    if (length < 0 || offset + length > bytes.byteLength) fail(`bad byte length ${length}`, i);
    let text = '';
    try {
      text = decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      fail('piece is not valid UTF-8', i);
    }
    offset += length;
    const special = SPECIALS[i];
    if (special) {
      entries.push({ piece: special[0], score, type: special[1] });
    } else {
      const type: PieceType = BYTE_PIECE.test(text) ? 'byte' : 'normal';
      entries.push({ piece: type === 'byte' ? text : text.replaceAll(' ', SPACE_MARK), score, type });
    }
  }
  if (offset !== bytes.byteLength) fail(`${bytes.byteLength - offset} trailing bytes after the vocabulary`, vocabSize);
  return entries;
}
