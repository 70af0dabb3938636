// Adapts convertLlama2c to the model store's converter interface (picks the input files of a pulled model).

import { cancelledError } from '../../errors.js';
import type { ConverterFn, ConverterInput } from '../../types.js';
import { convertLlama2c } from './convert.js';
import { Llama2cError } from './errors.js';

/** Which pulled files hold the checkpoint and tokenizer. */
export interface Llama2cFileChoice {
  readonly checkpoint: string;
  readonly tokenizerBin: string;
  readonly tokenizerModel?: string;
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Entry params `checkpoint`, `tokenizer` and `tokenizerModel` name the files explicitly; otherwise the
 * `.bin` whose name starts with "tok" is the tokenizer, the other `.bin` the checkpoint, and a
 * `.model` file the optional SentencePiece model.
 */
export function chooseLlama2cFiles(files: readonly string[], params: Readonly<Record<string, unknown>> = {}): Llama2cFileChoice {
  const named = (key: string): string | undefined => {
    const value = params[key];
    return typeof value === 'string' ? files.find((f) => f === value || baseName(f) === value) : undefined;
  };
  const bins = files.filter((f) => f.endsWith('.bin'));
  const tokenizerBin = named('tokenizer') ?? bins.find((f) => baseName(f).startsWith('tok'));
  const checkpoint = named('checkpoint') ?? bins.find((f) => f !== tokenizerBin);
  const tokenizerModel = named('tokenizerModel') ?? files.find((f) => f.endsWith('.model'));
  if (!checkpoint || !tokenizerBin) {
    throw new Llama2cError('LLAMA2C_MISSING_FILE', `llama2.c conversion needs a checkpoint and a tokenizer .bin, got: ${files.join(', ')}`, {
      field: checkpoint ? 'tokenizer' : 'checkpoint',
    });
  }
  return tokenizerModel ? { checkpoint, tokenizerBin, tokenizerModel } : { checkpoint, tokenizerBin };
}

/** The store converter for `llama2c-to-transformers`. */
export const llama2cConverter: ConverterFn = async (input: ConverterInput) => {
  const choice = chooseLlama2cFiles(input.files, input.entry.params);
  const checkAbort = (): void => {
    if (input.signal.aborted) throw cancelledError(`conversion of ${input.entry.id}`, input.signal);
  };
  checkAbort();
  const [checkpoint, tokenizerBin, tokenizerModel] = await Promise.all([
    input.readFile(choice.checkpoint),
    input.readFile(choice.tokenizerBin),
    choice.tokenizerModel ? input.readFile(choice.tokenizerModel) : Promise.resolve(undefined),
  ]);
  checkAbort();
  const files = convertLlama2c({ checkpoint, tokenizerBin, tokenizerModel, onProgress: input.onProgress });
  checkAbort();
  return files;
};
