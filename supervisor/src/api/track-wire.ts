// Reads the few fields of serialized TrackRequest / TrackResponse messages that the Track proxy
// needs (timestamps, task, whether options are present) without decoding the frame or result, and
// builds the small "dropped" responses the proxy answers itself.
import { TrackResponse, type TrackTask } from '@tabagent/protos/v1/vision';

/** Top-level fields of one message: varints by number, and length-delimited bytes by number. */
interface Scanned {
  varints: Map<number, number[]>;
  bytes: Map<number, Uint8Array[]>;
}

/** Scans top-level fields; stops quietly at malformed input (the child validates messages). */
function scan(buf: Uint8Array): Scanned {
  const out: Scanned = { varints: new Map(), bytes: new Map() };
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = buf[pos++];
      if (b === undefined) throw new RangeError('truncated');
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new RangeError('varint too long');
  };
  try {
    while (pos < buf.length) {
      const tag = varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (wire === 0) {
        const v = varint();
        out.varints.set(field, [...(out.varints.get(field) ?? []), v]);
      } else if (wire === 2) {
        const len = varint();
        if (pos + len > buf.length) break;
        out.bytes.set(field, [...(out.bytes.get(field) ?? []), buf.subarray(pos, pos + len)]);
        pos += len;
      } else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else break;
    }
  } catch {
    // keep what was read
  }
  return out;
}

/** Decodes a packed repeated varint field. */
function packed(chunks: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  for (const c of chunks) {
    let v = 0;
    let mul = 1;
    for (const b of c) {
      v += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        out.push(v);
        v = 0;
        mul = 1;
      }
    }
  }
  return out;
}

/** The header of one TrackRequest. */
export interface TrackRequestHeader {
  readonly timestampUs: number;
  readonly task: TrackTask;
  /** Whether the message carries options (field 4). */
  readonly hasOptions: boolean;
}

/** Reads timestamp, task and whether options are present. */
export function requestHeader(raw: Uint8Array): TrackRequestHeader {
  const s = scan(raw);
  return {
    timestampUs: s.varints.get(1)?.at(-1) ?? 0,
    task: (s.varints.get(2)?.at(-1) ?? 0) as TrackTask,
    hasOptions: s.bytes.has(4),
  };
}

/** The raw options field (field 4) of a request, if present. */
export function requestOptions(raw: Uint8Array): Uint8Array | undefined {
  return scan(raw).bytes.get(4)?.at(-1);
}

/** What the proxy reads of one TrackResponse. */
export interface TrackResponseFacts {
  /** Timestamps it accounts for: its own first, then the frames it reports as skipped. */
  readonly timestamps: number[];
  readonly task: TrackTask;
  /** Whether its own frame got no result (a non-empty status). */
  readonly noResult: boolean;
}

/** Reads a TrackResponse's timestamps, task and whether it carries a status, in one scan. */
export function responseFacts(raw: Uint8Array): TrackResponseFacts {
  const s = scan(raw);
  const dropped = [...(s.varints.get(3) ?? []), ...packed(s.bytes.get(3) ?? [])];
  return {
    timestamps: [s.varints.get(1)?.at(-1) ?? 0, ...dropped],
    task: (s.varints.get(2)?.at(-1) ?? 0) as TrackTask,
    noResult: (s.bytes.get(4)?.at(-1)?.length ?? 0) > 0,
  };
}

/** Timestamps a TrackResponse accounts for: its own and the frames it reports as skipped. */
export function responseTimestamps(raw: Uint8Array): number[] {
  return responseFacts(raw).timestamps;
}

/** Prefixes a request with options (field 4) so a new child stream starts with the options in force. */
export function withOptions(raw: Buffer, options: Uint8Array): Buffer {
  const header: number[] = [0x22];
  let len = options.length;
  while (len >= 0x80) {
    header.push((len & 0x7f) | 0x80);
    len = Math.floor(len / 128);
  }
  header.push(len);
  return Buffer.concat([Buffer.from(header), options, raw]);
}

/** A result that says the frame got no result, e.g. "dropped: restarting". */
export function droppedResponse(h: TrackRequestHeader, why: string): Buffer {
  const res = TrackResponse.encode({ timestampUs: h.timestampUs, task: h.task, droppedTimestampsUs: [], status: why, detectorRan: false }).finish();
  return Buffer.from(res.buffer, res.byteOffset, res.byteLength);
}
