// Typed readers for TFJS node attributes (strings are base64 in model.json, ints are decimal strings).

import type { TfAttr, TfNode } from './model-json.js';
import { invalidModel } from './errors.js';

function attrOf(node: TfNode, key: string): TfAttr | undefined {
  return node.attr[key];
}

function decodeString(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** A string attribute (e.g. `padding`), or `fallback` when absent. */
export function attrString(node: TfNode, key: string, fallback = ''): string {
  const a = attrOf(node, key);
  return a?.s === undefined ? fallback : decodeString(a.s);
}

/** A list-of-strings attribute (e.g. `fused_ops`). */
export function attrStrings(node: TfNode, key: string): string[] {
  return (attrOf(node, key)?.list?.s ?? []).map(decodeString);
}

/** An integer attribute, or `fallback` when absent. */
export function attrInt(node: TfNode, key: string, fallback = 0): number {
  const a = attrOf(node, key);
  return a?.i === undefined ? fallback : Number(a.i);
}

/** A list-of-integers attribute (e.g. `strides`). */
export function attrInts(node: TfNode, key: string): number[] {
  return (attrOf(node, key)?.list?.i ?? []).map(Number);
}

/** A float attribute, or `fallback` when absent. */
export function attrFloat(node: TfNode, key: string, fallback = 0): number {
  const a = attrOf(node, key);
  return a?.f === undefined ? fallback : Number(a.f);
}

/** A boolean attribute, or `fallback` when absent. */
export function attrBool(node: TfNode, key: string, fallback = false): boolean {
  const a = attrOf(node, key);
  return a?.b === undefined ? fallback : a.b;
}

/** TF DataType enum values that older converters wrote as numbers. */
const DATA_TYPES: Readonly<Record<number, string>> = {
  1: 'DT_FLOAT', 2: 'DT_DOUBLE', 3: 'DT_INT32', 4: 'DT_UINT8', 7: 'DT_STRING', 9: 'DT_INT64', 10: 'DT_BOOL',
};

/** A dtype attribute as its enum name (e.g. `DT_FLOAT`), or undefined. */
export function attrType(node: TfNode, key: string): string | undefined {
  const t: unknown = attrOf(node, key)?.type;
  if (typeof t === 'number') return DATA_TYPES[t] ?? `DT_${t}`;
  return typeof t === 'string' ? t : undefined;
}

/** A shape attribute as a list of sizes (-1 for unknown), or undefined when absent / unknown rank. */
export function attrShape(node: TfNode, key: string): number[] | undefined {
  const shape = attrOf(node, key)?.shape;
  if (shape === undefined) return undefined;
  return (shape.dim ?? []).map((d) => (d.size === undefined ? -1 : Number(d.size)));
}

/** Reads a 4-element NHWC list attribute (strides, dilations, ksize) as [h, w]; checks N and C are 1. */
export function attrSpatial(node: TfNode, key: string, fallback: [number, number]): [number, number] {
  const v = attrInts(node, key);
  if (v.length === 0) return fallback;
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) {
    throw invalidModel(`node "${node.name}" has an unexpected ${key} attribute ${JSON.stringify(v)}`);
  }
  return [v[1] as number, v[2] as number];
}
