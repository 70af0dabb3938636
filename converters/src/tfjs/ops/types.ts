// The signature shared by all op converters.

import type { ConvertContext } from '../core/context.js';
import type { TfNode } from '../core/model-json.js';
import type { Value } from '../core/values.js';

/** Converts one TF node given its input values; returns the node's output values in order. */
export type OpHandler = (ctx: ConvertContext, node: TfNode, inputs: readonly Value[]) => Value[];

/** A table of op converters keyed by TF op name. */
export type OpTable = Readonly<Record<string, OpHandler>>;
