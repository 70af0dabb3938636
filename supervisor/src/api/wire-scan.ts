// Reads a few top-level fields of a serialized protobuf message without decoding the rest, so the
// supervisor can route a frame-carrying request without copying or re-serializing the frame.
import { TabagentError } from '@tabagent/common';

/** Raw bytes of the top-level length-delimited fields with the given numbers (last one wins). */
export function scanFields(buf: Uint8Array, wanted: readonly number[]): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw malformed();
      const b = buf[pos++] ?? 0;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw malformed();
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    switch (wire) {
      case 0: varint(); break;
      case 1: pos += 8; break;
      case 5: pos += 4; break;
      case 2: {
        const len = varint();
        if (pos + len > buf.length) throw malformed();
        if (wanted.includes(field)) out.set(field, buf.subarray(pos, pos + len));
        pos += len;
        break;
      }
      default: throw malformed();
    }
  }
  if (pos > buf.length) throw malformed();
  return out;
}

/** A UTF-8 string field, or "" when absent. */
export function scanString(buf: Uint8Array, field: number): string {
  const raw = scanFields(buf, [field]).get(field);
  return raw ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8') : '';
}

/**
 * The shared-memory region a unary Vision request's frame points into (field 1 frame → field 7
 * shared_memory → field 1 region), or '' when it carries its pixels.
 */
export function scanFrameRegion(req: Uint8Array): string {
  const frame = scanFields(req, [1]).get(1);
  const ref = frame ? scanFields(frame, [7]).get(7) : undefined;
  return ref ? scanString(ref, 1) : '';
}

function malformed(): TabagentError {
  return new TabagentError('TA_ERR_INVALID_ARGUMENT', 'request: malformed protobuf message');
}
