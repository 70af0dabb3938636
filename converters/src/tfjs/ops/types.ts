// The signature shared by all op converters.

import type { ConvertContext } from '../context.js';
import type { TfNode } from '../model-json.js';
import type { Value } from '../values.js';

/** Converts one TF node given its input values; returns the node's output values in order. */
export type OpHandler = (ctx: ConvertContext, node: TfNode, inputs: readonly Value[]) => Value[];

/** A table of op converters keyed by TF op name. */
export type OpTable = Readonly<Record<string, OpHandler>>;
