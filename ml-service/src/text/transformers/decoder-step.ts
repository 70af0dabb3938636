// One forward pass at a time over a causal LM's ONNX decoder, carrying its KV cache between calls.

import { Tensor, type PreTrainedModel } from '@huggingface/transformers';

/** Output names of cache tensors and the input names they feed on the next step. */
const CACHE_RENAMES: readonly [string, string][] = [
  ['present_conv', 'past_conv'],
  ['present_ssm', 'past_ssm'],
  ['present_recurrent', 'past_recurrent'],
  ['present', 'past_key_values'],
];

function pastName(outputName: string): string | undefined {
  for (const [from, to] of CACHE_RENAMES) if (outputName.startsWith(from)) return to + outputName.slice(from.length);
  return undefined;
}

/** Feeds tokens to the decoder; each call appends them to the cache and returns the last position's logits. */
export class DecoderStepper {
  private past: Record<string, Tensor> | null = null;
  private cached = 0;

  constructor(private readonly model: PreTrainedModel) {}

  /** Number of tokens held in the KV cache. */
  get length(): number {
    return this.cached;
  }

  /** Runs the decoder on `ids` (the whole prompt first, then one token at a time). */
  async step(ids: readonly number[]): Promise<Float32Array> {
    const n = ids.length;
    const total = this.cached + n;
    const start = this.cached;
    const out = (await this.model.forward({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new Tensor('int64', BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i)), [1, n]),
      past_key_values: this.past,
    })) as Record<string, Tensor>;
    const logits = out.logits;
    if (!logits) throw new Error('decoder produced no logits output');
    const vocab = logits.dims[logits.dims.length - 1]!;
    const data = logits.data as Float32Array;
    const last = data.slice(data.length - vocab);
    const next: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(out)) {
      const past = pastName(name);
      if (past) next[past] = tensor;
    }
    this.past = next;
    this.cached = total;
    return last;
  }
}
