// FileChunk wire encoding for the ModelFiles hot path. The generic encoder copies every 1 MiB chunk
// twice (into its writer, then into a Buffer) before grpc-js copies it a third time into the frame;
// here the chunk's bytes are copied once, straight into the frame. Same protobuf bytes (see tests).
import { ModelFilesService, type FileChunk } from '@tabagent/protos/v1/model_files';

/** Bytes of `n` as a protobuf varint (n is a non-negative safe integer). */
function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 128) {
    buf[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Encodes the fields before `data` (1 offset, 2's tag + length) and after it (3 total_size, 4 sha256). */
function encodeAround(chunk: FileChunk): { head: Buffer; tail: Buffer } {
  const { offset, data, totalSize, sha256 } = chunk;
  const shaLength = Buffer.byteLength(sha256);
  const head = Buffer.allocUnsafe((offset !== 0 ? 1 + varintLength(offset) : 0) + (data.length !== 0 ? 1 + varintLength(data.length) : 0));
  let pos = 0;
  if (offset !== 0) {
    head[pos++] = 0x08;
    pos = writeVarint(head, pos, offset);
  }
  if (data.length !== 0) {
    head[pos++] = 0x12;
    writeVarint(head, pos, data.length);
  }
  const tail = Buffer.allocUnsafe((totalSize !== 0 ? 1 + varintLength(totalSize) : 0) + (shaLength !== 0 ? 1 + varintLength(shaLength) + shaLength : 0));
  pos = 0;
  if (totalSize !== 0) {
    tail[pos++] = 0x18;
    pos = writeVarint(tail, pos, totalSize);
  }
  if (shaLength !== 0) {
    tail[pos++] = 0x22;
    pos = writeVarint(tail, pos, shaLength);
    tail.write(sha256, pos, 'utf8');
  }
  return { head, tail };
}

/**
 * An encoded FileChunk that is never materialized on its own: grpc-js's server reads the message's
 * `byteLength` and calls `copy(frame, 5)` to place it behind the frame header, and that is all this
 * provides. Anything else grpc-js might do with it fails loudly (the ModelFiles tests stream through
 * the real server and decode with the generated decoder).
 */
export class FramedFileChunk {
  readonly #head: Buffer;
  readonly #data: Uint8Array;
  readonly #tail: Buffer;
  readonly byteLength: number;

  constructor(chunk: FileChunk) {
    const { head, tail } = encodeAround(chunk);
    this.#head = head;
    this.#data = chunk.data;
    this.#tail = tail;
    this.byteLength = head.length + chunk.data.length + tail.length;
  }

  /** Writes the encoded message into `target` at `at`; returns the bytes written (like Buffer#copy). */
  copy(target: Uint8Array, at = 0): number {
    target.set(this.#head, at);
    target.set(this.#data, at + this.#head.length);
    target.set(this.#tail, at + this.#head.length + this.#data.length);
    return this.byteLength;
  }
}

/** Encodes a FileChunk into one Buffer (fields 1 offset, 2 data, 3 total_size, 4 sha256; defaults omitted). */
export function encodeFileChunk(chunk: FileChunk): Buffer {
  const framed = new FramedFileChunk(chunk);
  const out = Buffer.allocUnsafe(framed.byteLength);
  framed.copy(out);
  return out;
}

/** The ModelFiles service definition with the single-copy FileChunk serializer (same wire format). */
export const modelFilesDefinition = {
  getModelFile: {
    ...ModelFilesService.getModelFile,
    responseSerialize: (chunk: FileChunk): Buffer => new FramedFileChunk(chunk) as unknown as Buffer,
  },
} as const satisfies typeof ModelFilesService;
