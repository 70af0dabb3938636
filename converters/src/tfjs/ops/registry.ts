// The table of every supported TF op, by name.

import { broadcastOps } from './broadcast.js';
import { combineOps } from './combine.js';
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { matmulOps } from './matmul.js';
import { padOps } from './pad.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { resizeOps } from './resize.js';
import { scatterGatherOps } from './scatter-gather.js';
import { selectOps } from './select.js';
import { shapeOps } from './shape.js';
import { sliceOps } from './slice.js';
import { softmaxOps } from './softmax.js';
import { spaceBatchOps } from './space-batch.js';
import { splitOps } from './split.js';
import type { OpHandler, OpTable } from './types.js';
import { unaryOps } from './unary.js';

const TABLE: OpTable = Object.freeze({
  ...elementwiseOps, ...unaryOps, ...convOps, ...poolOps, ...padOps, ...shapeOps, ...combineOps,
  ...sliceOps, ...reduceOps, ...resizeOps, ...matmulOps, ...selectOps, ...scatterGatherOps, ...splitOps, ...softmaxOps,
  ...broadcastOps, ...spaceBatchOps,
});

/** The converter for a TF op, or undefined when the op is not supported. */
export function opHandler(op: string): OpHandler | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, op) ? TABLE[op] : undefined;
}

/** Names of all supported ops (besides Const and Placeholder), sorted. */
export function supportedOps(): string[] {
  return Object.keys(TABLE).sort();
}
