// Minimal reader of a SentencePiece tokenizer.model (protobuf): pieces, scores, types and normalizer flags.

import { Llama2cError } from './errors.js';
import type { PieceType, VocabEntry } from './tokenizer-bin.js';

/** What the converter needs from a SentencePiece model. */
export interface SentencePieceModel {
  readonly pieces: VocabEntry[];
  /** normalizer_spec.add_dummy_prefix (SentencePiece default: true). */
  readonly addDummyPrefix: boolean;
  /** trainer_spec.model_type: 1 unigram, 2 BPE (SentencePiece default: 1). */
  readonly modelType: number;
}

const TYPES: Readonly<Record<number, PieceType>> = {
  1: 'normal', 2: 'unknown', 3: 'control', 4: 'user_defined', 5: 'unused', 6: 'byte',
};

/** A protobuf wire-format cursor over one message. */
class Reader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get done(): boolean {
    return this.pos >= this.buf.byteLength;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.byteLength) break;
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', 'tokenizer.model: truncated varint', { field: 'tokenizerModel' });
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.byteLength) {
      throw new Llama2cError('LLAMA2C_INVALID_FORMAT', 'tokenizer.model: field runs past the end', { field: 'tokenizerModel' });
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** Skips a field of the given wire type. */
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer.model: wire type ${wire}`, { field: 'tokenizerModel' });
  }
  /** Iterates over (field number, wire type) pairs. */
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const key = this.varint();
      yield [Math.floor(key / 8), key % 8];
    }
  }
}

function readPiece(buf: Uint8Array): VocabEntry {
  const r = new Reader(buf);
  let piece = '';
  let score = 0;
  let type: PieceType = 'normal';
  for (const [field, wire] of r.fields()) {
    if (field === 1 && wire === 2) piece = new TextDecoder().decode(r.bytes());
    else if (field === 2 && wire === 5) score = r.float();
    else if (field === 3 && wire === 0) type = TYPES[r.varint()] ?? 'normal';
    else r.skip(wire);
  }
  return { piece, score, type };
}

function readFlag(buf: Uint8Array, wanted: number, fallback: number): number {
  const r = new Reader(buf);
  let value = fallback;
  for (const [field, wire] of r.fields()) {
    if (field === wanted && wire === 0) value = r.varint();
    else r.skip(wire);
  }
  return value;
}

/** Parses the pieces (field 1), trainer_spec.model_type (2.3) and normalizer_spec.add_dummy_prefix (3.3). */
export function parseSentencePieceModel(bytes: Uint8Array): SentencePieceModel {
  const r = new Reader(bytes);
  const pieces: VocabEntry[] = [];
  let modelType = 1;
  let addDummyPrefix = true;
  for (const [field, wire] of r.fields()) {
    if (field === 1 && wire === 2) pieces.push(readPiece(r.bytes()));
    else if (field === 2 && wire === 2) modelType = readFlag(r.bytes(), 3, 1);
    else if (field === 3 && wire === 2) addDummyPrefix = readFlag(r.bytes(), 3, 1) !== 0;
    else r.skip(wire);
  }
  if (pieces.length === 0) {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', 'tokenizer.model holds no pieces', { field: 'tokenizerModel' });
  }
  return { pieces, addDummyPrefix, modelType };
}
