// Helpers of the llama.cpp end-to-end tests: the catalog ids, a local GGUF served by a `file:`
// catalog entry, and a reader of Generate/Chat streams.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceError } from '@grpc/grpc-js';
import { convertLlama2cToGguf } from '@tabagent/converters/llama2c';
import type { GenerateResponse, GenerateStats, SamplingOptions } from '@tabagent/protos/v1/text';
import type { PublicClients } from '../support/clients.js';
import { storiesFile } from '../convert/stories.js';

export const GGUF = 'karpathy/stories260K-gguf';
export const ONNX = 'karpathy/stories260K';
export const LOAD_CONTEXT = 384;
export const LOCAL = 'local/stories260K-gguf';
export const EMBED = 'local/stories260K-gguf-embeddings';

/** A folder holding one .gguf file and a --catalog file whose `file:` entry serves it (any GGUF model is added this way). */
export function localGgufCatalog(dir: string): string {
  const models = join(dir, 'models');
  mkdirSync(models);
  const gguf = convertLlama2cToGguf({ checkpoint: storiesFile('stories260K.bin'), tokenizerBin: storiesFile('tok512.bin'), tokenizerModel: storiesFile('tok512.model') });
  writeFileSync(join(models, 'stories260K.gguf'), gguf.get('model.gguf')!);
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({
    models: [
      { id: LOCAL, source: `file:${models}`, files: [{ path: 'stories260K.gguf' }], task: 'text-generation', runtime: 'llama.cpp', params: { threads: 1 } },
      { id: EMBED, source: `file:${models}`, files: [{ path: 'stories260K.gguf' }], task: 'embeddings', runtime: 'llama.cpp', params: { threads: 1 } },
    ],
  }));
  return catalog;
}

export interface Outcome { text: string; tokenIds: number[]; deltas: number; done: GenerateStats | undefined; error: ServiceError | undefined }

export type Stream = ReturnType<PublicClients['text']['generate']>;

/** Reads a stream to its end; `onDelta` sees the running delta count and may cancel. */
export function read(s: Stream, onDelta?: (deltas: number, s: Stream) => void): Promise<Outcome> {
  const out: Outcome = { text: '', tokenIds: [], deltas: 0, done: undefined, error: undefined };
  return new Promise((resolve) => {
    s.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        out.text += r.delta.text;
        out.tokenIds.push(...r.delta.tokenIds);
        out.deltas += 1;
        onDelta?.(out.deltas, s);
      }
      if (r.done) out.done = r.done;
    });
    s.on('error', (e: ServiceError) => {
      out.error = e;
      resolve(out);
    });
    s.on('end', () => resolve(out));
  });
}

/** Greedy sampling options. */
export const greedy = (maxNewTokens: number, extra: Partial<SamplingOptions> = {}): SamplingOptions => ({ maxNewTokens, temperature: 0, topK: 0, stop: [], ...extra });

