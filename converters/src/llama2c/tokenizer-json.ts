// Builds a Hugging Face tokenizer.json + tokenizer_config.json (SentencePiece BPE, byte fallback, dummy prefix).

import { Llama2cError } from './errors.js';
import { deriveMerges } from './bpe-merges.js';
import { parseSentencePieceModel } from './sentencepiece-model.js';
import { parseTokenizerBin, SPACE_MARK, type VocabEntry } from './tokenizer-bin.js';

export interface TokenizerSources {
  readonly tokenizerBin: Uint8Array;
  readonly tokenizerModel?: Uint8Array;
  readonly vocabSize: number;
  readonly maxLength: number;
}

export interface TokenizerFiles {
  readonly tokenizerJson: Record<string, unknown>;
  readonly tokenizerConfig: Record<string, unknown>;
  readonly bosId: number;
  readonly eosId: number;
}

/** Reads the vocabulary from tokenizer.bin and, when given, cross-checks it against tokenizer.model. */
export function readVocabulary(src: TokenizerSources): { entries: VocabEntry[]; addDummyPrefix: boolean } {
  const entries = parseTokenizerBin(src.tokenizerBin, src.vocabSize);
  if (!src.tokenizerModel) return { entries, addDummyPrefix: true };
  const sp = parseSentencePieceModel(src.tokenizerModel);
  if (sp.modelType !== 2) {
    throw new Llama2cError('LLAMA2C_UNSUPPORTED', `tokenizer.model type ${sp.modelType} is not BPE`, { field: 'tokenizerModel' });
  }
  if (sp.pieces.length !== entries.length) {
    throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer.model has ${sp.pieces.length} pieces, tokenizer.bin ${entries.length}`, {
      field: 'tokenizerModel',
    });
  }
  sp.pieces.forEach((p, i) => {
    const b = entries[i]!;
    if (b.type === 'normal' && (p.piece !== b.piece || p.score !== b.score)) {
      throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer.model piece ${i} differs from tokenizer.bin`, { field: 'tokenizerModel', index: i });
    }
  });
  return { entries: sp.pieces, addDummyPrefix: sp.addDummyPrefix };
}

function specialToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

function idOf(entries: readonly VocabEntry[], piece: string): number {
  const id = entries.findIndex((e) => e.piece === piece);
  if (id < 0) throw new Llama2cError('LLAMA2C_INVALID_FORMAT', `tokenizer has no ${piece} token`, { field: 'tokenizer' });
  return id;
}

/** Builds both JSON documents. */
export function buildTokenizer(src: TokenizerSources): TokenizerFiles {
  const { entries, addDummyPrefix } = readVocabulary(src);
  const unk = entries.find((e) => e.type === 'unknown')?.piece ?? '<unk>';
  const bosId = idOf(entries, '<s>');
  const eosId = idOf(entries, '</s>');
  const vocab: Record<string, number> = {};
  entries.forEach((e, id) => {
    if (!(e.piece in vocab)) vocab[e.piece] = id;
  });
  const normalizers: Record<string, unknown>[] = [{ type: 'Replace', pattern: { String: ' ' }, content: SPACE_MARK }];
  if (addDummyPrefix) normalizers.unshift({ type: 'Prepend', prepend: SPACE_MARK });
  const decoders: Record<string, unknown>[] = [
    { type: 'Replace', pattern: { String: SPACE_MARK }, content: ' ' },
    { type: 'ByteFallback' },
    { type: 'Fuse' },
  ];
  if (addDummyPrefix) decoders.push({ type: 'Strip', content: ' ', start: 1, stop: 0 });
  const bos = entries[bosId]!.piece;
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: entries.flatMap((e, id) => (e.type === 'control' || e.type === 'unknown' ? [specialToken(id, e.piece)] : [])),
    normalizer: { type: 'Sequence', normalizers },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: bos, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
    },
    decoder: { type: 'Sequence', decoders },
    model: {
      type: 'BPE', dropout: null, unk_token: unk, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab, merges: deriveMerges(entries),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'LlamaTokenizer',
    add_bos_token: true,
    add_eos_token: false,
    bos_token: bos,
    eos_token: entries[eosId]!.piece,
    unk_token: unk,
    pad_token: null,
    model_max_length: src.maxLength,
    clean_up_tokenization_spaces: false,
    legacy: true,
    spaces_between_special_tokens: false,
  };
  return { tokenizerJson, tokenizerConfig, bosId, eosId };
}
