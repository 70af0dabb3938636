// GGUF value and tensor types (GGUF spec, version 3), and the metadata values the writer accepts.

/** Metadata value types: `gguf_metadata_value_type` of the spec. */
export const GgufValueType = Object.freeze({
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9,
  UINT64: 10, INT64: 11, FLOAT64: 12,
} as const);
export type GgufValueTypeId = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Tensor element types the writer emits (`ggml_type`; only F32 so far). */
export const GgmlType = Object.freeze({ F32: 0 } as const);
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

/** A scalar metadata value with its explicit type (JS numbers do not say which width they are). */
export type GgufScalar =
  | { readonly type: 'u32' | 'i32' | 'u64' | 'f32' | 'f64'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string };

/** An array metadata value: all elements of one type. */
export type GgufArray =
  | { readonly type: 'array'; readonly of: 'string'; readonly values: readonly string[] }
  | { readonly type: 'array'; readonly of: 'u32' | 'i32' | 'f32'; readonly values: ArrayLike<number> };

export type GgufValue = GgufScalar | GgufArray;

/** One tensor: its name, its shape in ggml order (ne[0] is the fastest-varying dimension), its data. */
export interface GgufTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The version the writer produces. */
export const GGUF_VERSION = 3;
/** `general.alignment` when a file does not set it. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
