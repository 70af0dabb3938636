// The converter's view of a TF tensor: a known constant, a partly symbolic shape vector, or an ONNX tensor.

import type { ConstTensor, DType } from './tensor.js';

/** A dimension: a static size or a symbol naming a size known only at run time. */
export type Dim = number | string;

/** Physical layout of a rank-4 ONNX tensor relative to its TF (NHWC) meaning. */
export type Layout = 'nhwc' | 'nchw';

/** NCHW physical order expressed as logical NHWC axes. */
export const NCHW_PERM: readonly number[] = [0, 3, 1, 2];
/** Inverse of NCHW_PERM. */
export const NHWC_PERM: readonly number[] = [0, 2, 3, 1];

/** A tensor whose value is known at conversion time. */
export interface ConstValue {
  readonly kind: 'const';
  readonly t: ConstTensor;
}

/** An int32 scalar or vector whose elements are sizes, some of them symbolic (e.g. the batch size). */
export interface SymValue {
  readonly kind: 'sym';
  readonly shape: readonly number[];
  readonly elems: readonly Dim[];
}

/** A tensor computed by the ONNX graph. `shape` is the TF (logical) shape. */
export interface DynValue {
  readonly kind: 'dyn';
  readonly dtype: DType;
  readonly shape: readonly Dim[];
  readonly name: string;
  readonly layout: Layout;
}

/** Any converted value. */
export type Value = ConstValue | SymValue | DynValue;

/** Wraps a constant tensor. */
export function constValue(t: ConstTensor): ConstValue {
  return { kind: 'const', t };
}

/** A value's dtype. */
export function dtypeOf(v: Value): DType {
  return v.kind === 'const' ? v.t.dtype : v.kind === 'sym' ? 'int32' : v.dtype;
}

/** A value's logical shape. */
export function shapeOf(v: Value): readonly Dim[] {
  return v.kind === 'const' ? v.t.shape : v.shape;
}

/** A value's logical rank. */
export function rankOf(v: Value): number {
  return shapeOf(v).length;
}

/** True when every dim is a number. */
export function isStatic(shape: readonly Dim[]): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** The elements of a const or symbolic int vector, else undefined. */
export function symbolicElems(v: Value): Dim[] | undefined {
  if (v.kind === 'sym') return [...v.elems];
  if (v.kind === 'const' && v.t.dtype === 'int32' && v.t.shape.length <= 1) return Array.from(v.t.data);
  return undefined;
}

/** Normalises a possibly negative axis against `rank`. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
