// Sentence embeddings of Hugging Face models (e.g. sentence-transformers) through transformers.js'
// feature-extraction pipeline: mean or CLS pooling over the attention mask, optional L2 normalisation.

import { pipeline, type FeatureExtractionPipeline, type Tensor } from '@huggingface/transformers';
import type { Logger } from 'pino';
import { fileRouter, type ReadFile } from '../runtime/transformers-files.js';
import type { Embedder, EmbedOptions, PoolingMode } from './embedder.js';
import { invalidEmbed, loadFailed } from './errors.js';

/** Options of loadHfEmbedder. */
export interface LoadHfEmbedderOptions {
  readonly id: string;
  readonly readFile: ReadFile;
  readonly device?: string;
  readonly threads?: number;
  readonly dtype?: string;
  /** Pooling used for POOLING_UNSPECIFIED; sentence-transformers models mostly use mean. */
  readonly defaultPooling?: 'mean' | 'cls';
  readonly logger?: Logger;
}

/** Loads a feature-extraction model folder (config, tokenizer, onnx/model*.onnx). */
export async function loadHfEmbedder(opts: LoadHfEmbedderOptions): Promise<Embedder> {
  const { modelId, release } = fileRouter().register(opts.readFile);
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = (await pipeline('feature-extraction', modelId, {
      device: (opts.device ?? 'cpu') as 'cpu',
      ...(opts.dtype ? { dtype: opts.dtype as 'fp32' } : {}),
      session_options: opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {},
    })) as FeatureExtractionPipeline;
  } catch (err) {
    throw loadFailed(`loading embedding model ${opts.id} failed: ${(err as Error).message}`, err);
  } finally {
    release();
  }
  const defaultPooling = opts.defaultPooling ?? 'mean';
  const embedRaw = async (texts: readonly string[], pooling: 'mean' | 'cls', normalize: boolean): Promise<Float32Array[]> => {
    const out = (await extractor([...texts], { pooling, normalize })) as Tensor;
    const dims = out.dims[out.dims.length - 1] ?? 0;
    const data = out.data as Float32Array;
    return texts.map((_, i) => data.slice(i * dims, (i + 1) * dims));
  };
  const probe = await embedRaw(['hello'], defaultPooling, true);
  const dimensions = probe[0]?.length ?? 0;
  opts.logger?.info({ model: opts.id, dimensions, pooling: defaultPooling }, 'embedding model loaded');
  const poolings: readonly PoolingMode[] = ['mean', 'cls'];
  let disposed = false;
  return {
    id: opts.id,
    dimensions,
    poolings,
    async embed(texts: readonly string[], o: EmbedOptions) {
      if (disposed) throw loadFailed(`${opts.id} has been disposed`);
      if (o.pooling === 'none') throw invalidEmbed('pooling', `${opts.id}: POOLING_NONE (per-token vectors) is not supported; use MEAN or CLS`);
      return texts.length === 0 ? [] : embedRaw(texts, o.pooling === 'default' ? defaultPooling : o.pooling, o.normalize);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await extractor.dispose();
    },
  };
}
