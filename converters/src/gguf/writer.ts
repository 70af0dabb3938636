// Serializes metadata and f32 tensors into one GGUF v3 file (little-endian): header, metadata
// key/value pairs, tensor infos, padding to the alignment, then each tensor's data at an aligned
// offset relative to the start of the data section.

import {
  GGUF_DEFAULT_ALIGNMENT, GGUF_VERSION, GgmlType, GgufValueType, type GgufTensor, type GgufValue, type GgufValueTypeId,
} from './types.js';

const MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const ENCODER = new TextEncoder();

const SCALAR_TYPE: Readonly<Record<string, GgufValueTypeId>> = {
  u32: GgufValueType.UINT32, i32: GgufValueType.INT32, u64: GgufValueType.UINT64, f32: GgufValueType.FLOAT32,
  f64: GgufValueType.FLOAT64, bool: GgufValueType.BOOL, string: GgufValueType.STRING,
};

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** A growing little-endian byte sink. */
class Sink {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    const next = new Uint8Array(Math.max(this.buf.byteLength * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void { this.room(1); this.view.setUint8(this.length, v); this.length += 1; }
  u32(v: number): void { this.room(4); this.view.setUint32(this.length, v, true); this.length += 4; }
  i32(v: number): void { this.room(4); this.view.setInt32(this.length, v, true); this.length += 4; }
  u64(v: number): void { this.room(8); this.view.setBigUint64(this.length, BigInt(v), true); this.length += 8; }
  f32(v: number): void { this.room(4); this.view.setFloat32(this.length, v, true); this.length += 4; }
  f64(v: number): void { this.room(8); this.view.setFloat64(this.length, v, true); this.length += 8; }
  string(s: string): void {
    const bytes = ENCODER.encode(s);
    this.u64(bytes.byteLength);
    this.room(bytes.byteLength);
    this.buf.set(bytes, this.length);
    this.length += bytes.byteLength;
  }
  pad(to: number): void {
    const n = align(this.length, to) - this.length;
    this.room(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Uint8Array { return this.buf.subarray(0, this.length); }
}

function writeScalar(out: Sink, type: string, value: number | boolean | string): void {
  if (type === 'string') out.string(value as string);
  else if (type === 'bool') out.u8(value ? 1 : 0);
  else if (type === 'u32') out.u32(value as number);
  else if (type === 'i32') out.i32(value as number);
  else if (type === 'u64') out.u64(value as number);
  else if (type === 'f32') out.f32(value as number);
  else out.f64(value as number);
}

function writeValue(out: Sink, v: GgufValue): void {
  out.u32(v.type === 'array' ? GgufValueType.ARRAY : SCALAR_TYPE[v.type]!);
  if (v.type !== 'array') return writeScalar(out, v.type, v.value);
  out.u32(SCALAR_TYPE[v.of]!);
  out.u64(v.values.length);
  for (let i = 0; i < v.values.length; i++) writeScalar(out, v.of, v.values[i]!);
}

function checkTensor(t: GgufTensor): void {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.shape.length < 1 || t.shape.length > 4 || !t.shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`GGUF tensor ${t.name}: shape [${t.shape.join(', ')}] must have 1-4 positive dimensions`);
  }
  if (count !== t.data.length) throw new RangeError(`GGUF tensor ${t.name}: shape holds ${count} values, data ${t.data.length}`);
}

/** Options of `writeGguf`. */
export interface GgufWriteOptions {
  /** Data alignment in bytes; written as `general.alignment` when not the default 32. */
  readonly alignment?: number;
}

/** Builds the file; metadata keys keep their insertion order, tensors their array order. */
export function writeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[], opts: GgufWriteOptions = {}): Uint8Array {
  const alignment = opts.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  if (!(Number.isInteger(alignment) && alignment > 0 && alignment % 8 === 0)) throw new RangeError(`GGUF alignment ${alignment} must be a multiple of 8`);
  const kv = new Map(metadata);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT) kv.set('general.alignment', { type: 'u32', value: alignment });
  tensors.forEach(checkTensor);
  if (new Set(tensors.map((t) => t.name)).size !== tensors.length) throw new RangeError('GGUF tensor names must be unique');

  const head = new Sink();
  head.u32(MAGIC);
  head.u32(GGUF_VERSION);
  head.u64(tensors.length);
  head.u64(kv.size);
  for (const [key, value] of kv) {
    head.string(key);
    writeValue(head, value);
  }
  const offsets: number[] = [];
  let dataBytes = 0;
  for (const t of tensors) {
    offsets.push(dataBytes);
    dataBytes = align(dataBytes + t.data.byteLength, alignment);
    head.string(t.name);
    head.u32(t.shape.length);
    for (const d of t.shape) head.u64(d);
    head.u32(GgmlType.F32);
    head.u64(offsets[offsets.length - 1]!);
  }
  head.pad(alignment);

  const file = new Uint8Array(head.length + dataBytes);
  file.set(head.bytes());
  const view = new DataView(file.buffer);
  tensors.forEach((t, i) => {
    const base = head.length + offsets[i]!;
    for (let j = 0; j < t.data.length; j++) view.setFloat32(base + 4 * j, t.data[j]!, true);
  });
  return file;
}
