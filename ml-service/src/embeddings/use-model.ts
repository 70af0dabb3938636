// Universal Sentence Encoder lite on @tensorflow/tfjs: its own SentencePiece tokenizer, sparse
// (indices, values) inputs, 512-d outputs that the graph already L2-normalises.

import type { GraphModel } from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import type { ReadModelFile } from '../runtime/loaded-model.js';
import type { Embedder, EmbedOptions } from './embedder.js';
import { invalidEmbed, loadFailed } from './errors.js';
import { tfjsRuntime, type TfjsRuntime } from './tfjs-runtime.js';
import { UseTokenizer, isUseVocabulary, sparseIds } from './use-tokenizer.js';

/** Options of loadUseModel (from the catalog's params). */
export interface LoadUseOptions {
  readonly id: string;
  readonly readFile: ReadModelFile;
  /** Graph file, default model.json. */
  readonly graph?: string;
  /** Vocabulary file, default vocab.json. */
  readonly vocabulary?: string;
  readonly logger?: Logger;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  signature?: unknown;
}

const decodeJson = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

async function loadGraph(rt: TfjsRuntime, opts: LoadUseOptions, graphPath: string): Promise<GraphModel> {
  const json = decodeJson(await opts.readFile(graphPath)) as ModelJson;
  if (!json || typeof json !== 'object' || !Array.isArray(json.weightsManifest)) throw loadFailed(`${opts.id}: ${graphPath} is not a TFJS graph model`);
  const dir = graphPath.includes('/') ? graphPath.slice(0, graphPath.lastIndexOf('/') + 1) : '';
  const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths.map((p) => opts.readFile(dir + p))));
  const all = Buffer.concat(shards);
  return rt.tf.loadGraphModel({
    load: () => Promise.resolve({
      modelTopology: json.modelTopology as object,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as never,
      weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      ...(json.format ? { format: json.format } : {}),
    }),
  });
}

/** Loads USE lite; every file comes through `readFile`. */
export async function loadUseModel(opts: LoadUseOptions): Promise<Embedder & { readonly backend: string; readonly warnings: readonly string[] }> {
  const started = performance.now();
  const rt = await tfjsRuntime();
  let graph: GraphModel;
  let tokenizer: UseTokenizer;
  try {
    const vocab = decodeJson(await opts.readFile(opts.vocabulary ?? 'vocab.json'));
    if (!isUseVocabulary(vocab)) throw loadFailed(`${opts.id}: vocabulary is not a list of [piece, score] pairs`);
    tokenizer = new UseTokenizer(vocab);
    graph = await loadGraph(rt, opts, opts.graph ?? 'model.json');
  } catch (err) {
    if ((err as { code?: string }).code === 'EMBED_MODEL_LOAD_FAILED') throw err;
    throw loadFailed(`loading ${opts.id} failed: ${(err as Error).message}`, err);
  }
  const { tf } = rt;
  const run = async (ids: readonly (readonly number[])[]): Promise<Float32Array[]> => {
    const sparse = sparseIds(ids);
    const indices = tf.tensor2d(sparse.indices, [sparse.values.length, 2], 'int32');
    const vals = tf.tensor1d(sparse.values, 'int32');
    try {
      const out = (await graph.executeAsync({ indices, values: vals })) as import('@tensorflow/tfjs').Tensor;
      const data = (await out.data()) as Float32Array;
      const dims = out.shape[1] ?? 0;
      out.dispose();
      return ids.map((_, i) => data.slice(i * dims, (i + 1) * dims));
    } finally {
      indices.dispose();
      vals.dispose();
    }
  };
  // Warm-up: the first execution compiles kernels; do it at load, not on the first request.
  const probe = await run([tokenizer.encode('hello')]);
  const dimensions = probe[0]?.length ?? 0;
  opts.logger?.info({ model: opts.id, backend: rt.backend, dimensions, ms: Math.round(performance.now() - started) }, 'embedding model loaded');
  let disposed = false;
  return {
    id: opts.id,
    dimensions,
    backend: rt.backend,
    warnings: rt.warnings,
    poolings: [],
    async embed(texts: readonly string[], o: EmbedOptions): Promise<Float32Array[]> {
      if (disposed) throw loadFailed(`${opts.id} has been disposed`);
      if (o.pooling !== 'default') throw invalidEmbed('pooling', `${opts.id} has a built-in pooling; only POOLING_UNSPECIFIED is supported`);
      // The graph ends in an L2 normalisation, so vectors are unit length whether or not `normalize` is set.
      const ids = texts.map((t) => tokenizer.encode(t));
      return texts.length === 0 ? [] : run(ids);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      graph.dispose();
    },
  };
}
