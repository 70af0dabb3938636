// TF padding rules (SAME / VALID / EXPLICIT) turned into ONNX pads and output sizes.

import type { TfNode } from '../core/model-json.js';
import { attrInts, attrString } from '../core/attrs.js';
import { unsupportedOp } from '../core/errors.js';
import type { Dim } from '../core/values.js';

/** Spatial geometry of a windowed op (conv / pool) along H and W. */
export interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
}

/** ONNX pad attributes plus the TF output sizes along H and W. */
export interface PadResult {
  readonly attrs: { pads: number[] } | { auto_pad: string };
  readonly out: [Dim, Dim];
}

function outSize(size: Dim, k: number, s: number, d: number, mode: string, fresh: () => string): Dim {
  if (typeof size !== 'number') return fresh();
  const eff = (k - 1) * d + 1;
  return mode === 'SAME' ? Math.ceil(size / s) : Math.floor((size - eff) / s) + 1;
}

/** Computes pads for `node` over an input of spatial sizes `hw`. */
export function windowPads(node: TfNode, hw: readonly [Dim, Dim], w: Window, fresh: () => string): PadResult {
  const mode = attrString(node, 'padding', 'VALID');
  if (mode === 'EXPLICIT') {
    const p = attrInts(node, 'explicit_paddings');
    if (p.length !== 8) throw unsupportedOp(node.op, node.name, 'explicit_paddings must have 8 values');
    const [t, b, l, r] = [p[2], p[3], p[4], p[5]] as [number, number, number, number];
    const out = ([0, 1] as const).map((i) => {
      const size = hw[i];
      if (typeof size !== 'number') return fresh();
      const eff = ((w.kernel[i]) - 1) * (w.dilations[i]) + 1;
      const padded = size + (i === 0 ? t + b : l + r);
      return Math.floor((padded - eff) / w.strides[i]) + 1;
    }) as [Dim, Dim];
    return { attrs: { pads: [t, l, b, r] }, out };
  }
  if (mode !== 'SAME' && mode !== 'VALID') throw unsupportedOp(node.op, node.name, `padding ${mode}`);
  const out = ([0, 1] as const).map((i) =>
    outSize(hw[i], w.kernel[i], w.strides[i], w.dilations[i], mode, fresh)) as [Dim, Dim];
  if (mode === 'VALID') return { attrs: { pads: [0, 0, 0, 0] }, out };
  if (typeof hw[0] !== 'number' || typeof hw[1] !== 'number') return { attrs: { auto_pad: 'SAME_UPPER' }, out };
  const begin: number[] = [];
  const end: number[] = [];
  for (const i of [0, 1] as const) {
    const eff = (w.kernel[i] - 1) * w.dilations[i] + 1;
    const total = Math.max(((out[i] as number) - 1) * w.strides[i] + eff - (hw[i] as number), 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  }
  return { attrs: { pads: [...begin, ...end] }, out };
}
