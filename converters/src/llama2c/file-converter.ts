// The llama2.c converter over a model's files: picks the checkpoint and tokenizer files and converts them.

import type { ConversionIo, ConversionJob, FileConverter } from '../core/file-converter.js';
import { convertLlama2c, LLAMA2C_CONVERTER_VERSION } from './convert.js';
import { Llama2cError } from './errors.js';
import { convertLlama2cToGguf, LLAMA2C_GGUF_CONVERTER_VERSION } from './gguf-convert.js';

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

async function readInputs(job: ConversionJob, io: ConversionIo): Promise<{ checkpoint: Uint8Array; tokenizerBin: Uint8Array; tokenizerModel: Uint8Array | undefined }> {
  const choice = chooseLlama2cFiles(job.files, job.params);
  const [checkpoint, tokenizerBin, tokenizerModel] = await Promise.all([
    io.readFile(choice.checkpoint),
    io.readFile(choice.tokenizerBin),
    choice.tokenizerModel ? io.readFile(choice.tokenizerModel) : Promise.resolve(undefined),
  ]);
  return { checkpoint, tokenizerBin, tokenizerModel };
}

/** The `llama2c-to-transformers` converter. */
export const llama2cFileConverter: FileConverter = {
  version: LLAMA2C_CONVERTER_VERSION,
  convert: async (job, io) => convertLlama2c({ ...(await readInputs(job, io)), onProgress: io.onProgress }),
};

/** The `llama2c-to-gguf` converter: one `model.gguf` for the llama.cpp runtime. */
export const llama2cGgufFileConverter: FileConverter = {
  version: LLAMA2C_GGUF_CONVERTER_VERSION,
  convert: async (job, io) => convertLlama2cToGguf({ ...(await readInputs(job, io)), name: job.id, onProgress: io.onProgress }),
};
