// Puts the operands of a broadcasting op into one physical layout (NCHW when any operand already is).

import type { ConvertContext } from '../core/context.js';
import { type Dim, type Layout, type Value, rankOf, shapeOf } from '../core/values.js';

/** Operands ready for an ONNX broadcasting op. */
export interface Aligned {
  readonly names: string[];
  readonly layout: Layout;
  readonly shape: Dim[];
}

/** Numpy broadcast of logical shapes; a symbol meets a number by taking the number unless it is 1. */
export function broadcastDims(ctx: ConvertContext, shapes: ReadonlyArray<readonly Dim[]>): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x === 1) continue;
      if (d === 1) d = x;
      else if (typeof d === 'string' && typeof x === 'number') d = x;
      else if (typeof d === 'string' && typeof x === 'string' && d !== x) d = ctx.freshSym();
    }
    out.push(d);
  }
  return out;
}

function nchwName(ctx: ConvertContext, v: Value): string | undefined {
  if (v.kind === 'const') return ctx.constForNchw(v.t);
  if (rankOf(v) === 4) return ctx.nchw(v);
  if (rankOf(v) === 0) return ctx.nhwc(v);
  return undefined;
}

/** Aligns operands, preferring the NCHW layout when an operand is NCHW and the result is rank 4. */
export function align(ctx: ConvertContext, inputs: readonly Value[]): Aligned {
  const shape = broadcastDims(ctx, inputs.map(shapeOf));
  const wantNchw = shape.length === 4 && inputs.some((v) => v.kind === 'dyn' && v.layout === 'nchw');
  if (wantNchw) {
    const names = inputs.map((v) => nchwName(ctx, v));
    if (names.every((n): n is string => n !== undefined)) return { names, layout: 'nchw', shape };
  }
  return { names: inputs.map((v) => ctx.nhwc(v)), layout: 'nhwc', shape };
}
