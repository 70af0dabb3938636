// Runs an onnxruntime session on one NHWC float image tensor and exposes outputs by name or size,
// in the role of MediaPipe's InferenceCalculator.

import * as ort from 'onnxruntime-node';
import { VisionError } from '../errors.js';

export interface ModelOutput {
  name: string;
  data: Float32Array;
  dims: readonly number[];
}

/** Outputs of one run, in the session's output order. */
export class ModelOutputs {
  constructor(readonly list: readonly ModelOutput[]) {}

  /**
   * The output whose name matches one of `names` (":0" suffixes ignored), otherwise the only output
   * with `size` elements. Throws VISION_MODEL_MISMATCH when neither identifies exactly one output.
   */
  pick(names: readonly string[], size?: number): ModelOutput {
    const bare = (n: string): string => n.replace(/:0$/, '');
    const wanted = new Set(names.map(bare));
    const byName = this.list.find((o) => wanted.has(bare(o.name)));
    if (byName !== undefined && (size === undefined || byName.data.length === size)) return byName;
    if (size !== undefined) {
      const bySize = this.list.filter((o) => o.data.length === size);
      if (bySize.length === 1) return bySize[0]!;
    }
    throw new VisionError('VISION_MODEL_MISMATCH', `model has no output ${names.join('/')}${size === undefined ? '' : ` with ${size} values`} (outputs: ${this.describe()})`);
  }

  /** Every output with exactly `size` elements, in session order. */
  allOfSize(size: number): ModelOutput[] {
    return this.list.filter((o) => o.data.length === size);
  }

  describe(): string {
    return this.list.map((o) => `${o.name}[${o.dims.join('x')}]`).join(', ');
  }
}

/** Checks the session's first input takes [1, height, width, 3] (dynamic dims accepted). */
export function inputNameOf(session: ort.InferenceSession): string {
  const name = session.inputNames[0];
  if (name === undefined) throw new VisionError('VISION_MODEL_MISMATCH', 'model has no inputs');
  return name;
}

/** Runs `session` on an NHWC float32 batch-1 tensor. The input buffer may be reused after the call. */
export async function runImageModel(session: ort.InferenceSession, input: Float32Array, height: number, width: number, channels = 3): Promise<ModelOutputs> {
  const feeds = { [inputNameOf(session)]: new ort.Tensor('float32', input, [1, height, width, channels]) };
  const results = await session.run(feeds);
  const list: ModelOutput[] = [];
  for (const name of session.outputNames) {
    const value = results[name];
    if (value === undefined) continue;
    const data = value.data;
    if (!(data instanceof Float32Array)) {
      throw new VisionError('VISION_MODEL_MISMATCH', `output ${name} is ${value.type}, expected float32`);
    }
    list.push({ name, data, dims: value.dims });
  }
  return new ModelOutputs(list);
}
