// ONNX stores tensor `raw_data` little-endian whatever the host; copies typed arrays into that form.

/** Element arrays an initializer can hold. */
export type TensorData = Float32Array | Int32Array | Uint8Array | BigInt64Array;

const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A copy of `data`'s elements as little-endian bytes. */
export function rawBytes(data: TensorData): Buffer {
  const copy = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.from(copy);
  if (!HOST_LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) {
    if (data.BYTES_PER_ELEMENT === 4) out.swap32();
    else out.swap64();
  }
  return out;
}
