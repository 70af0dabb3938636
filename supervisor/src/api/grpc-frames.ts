// The gRPC-over-HTTP/2 details the pass-through forwarder handles itself: the grpc-timeout header,
// the length-prefixed message of a unary request, and statuses as HTTP/2 headers and trailers, the
// way grpc-js writes and reads them (so a client sees the same status, message and metadata).
import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { MAX_MESSAGE_BYTES, serviceErrorOf } from '@tabagent/common';

/** Largest request message accepted (as the grpc-js servers are configured). */
export const MAX_REQUEST_BYTES = MAX_MESSAGE_BYTES;
/** Bytes before each gRPC message: a compressed flag and a 4-byte big-endian length. */
export const PREFIX_BYTES = 5;

const TIMEOUT_UNITS_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 };

/** The deadline a grpc-timeout header asks for (e.g. "1500m"), or undefined when absent or malformed. */
export function deadlineFromTimeout(value: string | string[] | undefined, now = Date.now()): Date | undefined {
  const m = typeof value === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(value) : null;
  const unit = m?.[2] === undefined ? undefined : TIMEOUT_UNITS_MS[m[2]];
  if (!m || unit === undefined) return undefined;
  return new Date(now + Number(m[1]) * unit);
}

/** A grpc-timeout header value for the time left until a deadline (at least 1 ms). */
export function timeoutHeader(deadline: Date, now = Date.now()): string {
  return `${Math.max(1, Math.ceil(deadline.getTime() - now))}m`;
}

/** The declared length of the message whose prefix starts `buf`, or undefined while the prefix is incomplete. */
export function declaredLength(buf: Buffer): number | undefined {
  return buf.length < PREFIX_BYTES ? undefined : buf.readUInt32BE(1);
}

/** Whether the first message of `buf` is flagged compressed. */
export function isCompressed(buf: Buffer): boolean {
  return (buf[0] ?? 0) !== 0;
}

/** The headers grpc-js puts on every response. */
export const RESPONSE_HEADERS: OutgoingHttpHeaders = Object.freeze({
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
});

/** A status (with its metadata) as HTTP/2 trailers. */
export function statusTrailers(s: Partial<StatusObject> & { code: status; details: string }): OutgoingHttpHeaders {
  return { 'grpc-status': String(s.code), 'grpc-message': encodeURI(s.details), ...(s.metadata?.toHttp2Headers() ?? {}) };
}

/** A trailers-only response carrying a status, as grpc-js sends it. */
export function trailersOnly(s: Partial<StatusObject> & { code: status; details: string }): OutgoingHttpHeaders {
  return { ...RESPONSE_HEADERS, ...statusTrailers(s) };
}

/** Headers that are the transport's, not the call's metadata. */
const NOT_METADATA = new Set(['grpc-status', 'grpc-message', 'grpc-status-details-bin', 'content-type', 'grpc-encoding', 'grpc-accept-encoding', 'date']);

/** The metadata part of received headers or trailers. */
export function metadataOf(headers: IncomingHttpHeaders): Metadata {
  const plain: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':') && !NOT_METADATA.has(k)) plain[k] = v;
  return Metadata.fromHttp2Headers(plain);
}

/** The status of received trailers (or trailers-only headers); UNKNOWN when grpc-status is missing. */
export function statusOf(headers: IncomingHttpHeaders): { code: status; details: string } {
  const raw = headers['grpc-status'];
  const code = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : status.UNKNOWN;
  const msg = headers['grpc-message'];
  let details = typeof msg === 'string' ? msg : '';
  try {
    details = decodeURI(details);
  } catch {
    // Not percent-encoded: keep it as sent.
  }
  return { code, details: raw === undefined ? 'no grpc-status in the response' : details };
}

/** A ServiceError as a grpc-js client would have produced it. */
export function serviceError(code: status, details: string, metadata = new Metadata()): ServiceError {
  return serviceErrorOf({ code, details, metadata });
}
