// Reads the float32 tensors of a llama2.c checkpoint (after the header) in their documented order.

import { Llama2cError } from './errors.js';
import { HEADER_BYTES, type Llama2cConfig } from './header.js';

/** Weights of one transformer block, row-major [out, in] as llama2.c stores them. */
export interface LayerWeights {
  readonly rmsAtt: Float32Array;
  readonly wq: Float32Array;
  readonly wk: Float32Array;
  readonly wv: Float32Array;
  readonly wo: Float32Array;
  readonly rmsFfn: Float32Array;
  readonly w1: Float32Array;
  readonly w2: Float32Array;
  readonly w3: Float32Array;
}

/** All weights of a llama2.c model. `classifier` is the token embedding when they are shared. */
export interface Llama2cWeights {
  readonly tokenEmbedding: Float32Array;
  readonly layers: readonly LayerWeights[];
  readonly rmsFinal: Float32Array;
  readonly classifier: Float32Array;
}

/** Number of float32 values the checkpoint must hold after the header. */
export function expectedFloatCount(c: Llama2cConfig): number {
  const kvDim = c.nKvHeads * c.headDim;
  const perLayer = 2 * c.dim + 2 * c.dim * c.dim + 2 * kvDim * c.dim + 3 * c.hiddenDim * c.dim;
  const freqCis = c.seqLen * c.headDim; // real + imag, each [seq_len, head_dim / 2]
  const classifier = c.sharedClassifier ? 0 : c.vocabSize * c.dim;
  return c.vocabSize * c.dim + c.nLayers * perLayer + c.dim + freqCis + classifier;
}

/** Reads every tensor; throws LLAMA2C_INVALID_FORMAT when the byte length does not match the header. */
export function readWeights(checkpoint: Uint8Array, c: Llama2cConfig): Llama2cWeights {
  const expectedBytes = HEADER_BYTES + 4 * expectedFloatCount(c);
  if (checkpoint.byteLength !== expectedBytes) {
    throw new Llama2cError(
      'LLAMA2C_INVALID_FORMAT',
      `checkpoint is ${checkpoint.byteLength} bytes but its header implies ${expectedBytes}`,
      { field: 'size', expected: expectedBytes, actual: checkpoint.byteLength },
    );
  }
  const view = new DataView(checkpoint.buffer, checkpoint.byteOffset, checkpoint.byteLength);
  let offset = HEADER_BYTES;
  const take = (count: number): Float32Array => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
    offset += 4 * count;
    return out;
  };
  const takePerLayer = (count: number): Float32Array[] => Array.from({ length: c.nLayers }, () => take(count));
  const kvDim = c.nKvHeads * c.headDim;

  const tokenEmbedding = take(c.vocabSize * c.dim);
  const rmsAtt = takePerLayer(c.dim);
  const wq = takePerLayer(c.dim * c.dim);
  const wk = takePerLayer(kvDim * c.dim);
  const wv = takePerLayer(kvDim * c.dim);
  const wo = takePerLayer(c.dim * c.dim);
  const rmsFfn = takePerLayer(c.dim);
  const w1 = takePerLayer(c.hiddenDim * c.dim);
  const w2 = takePerLayer(c.dim * c.hiddenDim);
  const w3 = takePerLayer(c.hiddenDim * c.dim);
  const rmsFinal = take(c.dim);
  offset += 4 * c.seqLen * c.headDim; // freq_cis tables: recomputed in the graph from rope_theta
  const classifier = c.sharedClassifier ? tokenEmbedding : take(c.vocabSize * c.dim);

  const layers = Array.from({ length: c.nLayers }, (_, l): LayerWeights => ({
    rmsAtt: rmsAtt[l]!, wq: wq[l]!, wk: wk[l]!, wv: wv[l]!, wo: wo[l]!,
    rmsFfn: rmsFfn[l]!, w1: w1[l]!, w2: w2[l]!, w3: w3[l]!,
  }));
  return { tokenEmbedding, layers, rmsFinal, classifier };
}

/**
 * Reorders the output rows of a q or k projection from llama2.c's adjacent-pair rotary layout
 * (x[2i], x[2i+1]) to the Hugging Face half layout (x[i], x[i + headDim/2]), head by head.
 */
export function permuteRopeRows(w: Float32Array, nHeads: number, headDim: number, inDim: number): Float32Array {
  const out = new Float32Array(w.length);
  const half = headDim / 2;
  for (let h = 0; h < nHeads; h++) {
    for (let j = 0; j < headDim; j++) {
      const src = j < half ? 2 * j : 2 * (j - half) + 1;
      const from = (h * headDim + src) * inDim;
      out.set(w.subarray(from, from + inDim), (h * headDim + j) * inDim);
    }
  }
  return out;
}

/** Transposes a row-major [rows, cols] matrix into [cols, rows] (MatMul weight layout). */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]!;
  }
  return out;
}
