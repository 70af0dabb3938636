// Turns a prompt string or pre-tokenized ids into the token ids fed to the model (BOS handling, validation).

import { invalidArgument } from '../errors.js';
import type { TextModel } from './load.js';
import { checkInputIds, type GenerateOptions } from '../options.js';

/** Encodes text without special tokens (no BOS/EOS added). */
export function encodeText(m: TextModel, text: string): number[] {
  if (text === '') return [];
  return m.tokenizer.encode(text, { add_special_tokens: false });
}

/** Decodes ids to text, skipping special tokens. */
export function decodeIds(m: TextModel, ids: readonly number[]): string {
  return m.tokenizer.decode([...ids], { skip_special_tokens: true });
}

/** The prompt's token ids; throws TEXT_INVALID_ARGUMENT for an empty prompt with no BOS. */
export function promptIds(m: TextModel, o: GenerateOptions): number[] {
  const bos = m.info.bosTokenId;
  let ids: number[];
  let addBos: boolean;
  if (o.inputIds !== undefined) {
    checkInputIds(o.inputIds, m.info.vocabSize);
    ids = [...o.inputIds];
    addBos = o.addBos ?? false;
  } else {
    if (o.prompt !== undefined && typeof o.prompt !== 'string') throw invalidArgument('prompt', 'must be a string');
    ids = encodeText(m, o.prompt ?? '');
    addBos = o.addBos ?? m.info.addBosByDefault;
  }
  if (addBos) {
    if (bos === undefined) throw invalidArgument('addBos', `model ${m.id} has no BOS token`);
    ids.unshift(bos);
  }
  if (ids.length === 0) {
    throw invalidArgument(o.inputIds !== undefined ? 'inputIds' : 'prompt', 'is empty and no BOS token is added');
  }
  return ids;
}
