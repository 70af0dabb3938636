// One unary call through the pass-through forwarder: the HTTP/2 stream of the client's call is
// answered here, without grpc-js parsing it. The token is checked, the length-prefixed message read,
// routed with the byte scanners, and the very frame bytes the client sent are written (one write) to a
// pooled HTTP/2 stream to the child that holds the call's models, leased and retried on child loss as
// forward.ts does. The child's answer is relayed once it is complete (headers, message, trailers), so
// a call that lost its child can still be replayed on the next one. Deadlines (grpc-timeout) and
// cancellation (the client's RST_STREAM) reach the child; statuses and error codes are the grpc-js
// path's (toGrpcStatus).
import { status } from '@grpc/grpc-js';
import http2, { type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { SURFACE_KEY, surfaceOf, toGrpcStatus, type ModelRoles } from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { checkAuthorization } from './auth.js';
import type { ChildSessions } from './child-sessions.js';
import { POOLED_MIN_BYTES, type FrameBuffers } from './frame-buffers.js';
import { childMetadata, onChild, type ForwardDeps } from './forward.js';
import {
  MAX_REQUEST_BYTES, PREFIX_BYTES, declaredLength, deadlineFromTimeout, isCompressed, metadataOf, serviceError, statusOf, timeoutHeader, trailersOnly,
} from './grpc-frames.js';
import { codeName, modelOf, type CallObserver, type ModelLabel } from './request-counting.js';

/** What every pass-through call shares. */
export interface PassThroughContext {
  readonly deps: ForwardDeps;
  readonly sessions: ChildSessions;
  /** Bearer token of public calls ("" = none). */
  readonly token: string;
  /** Counts the call for a graceful shutdown; returns its end. */
  begin(): () => void;
  readonly calls?: CallObserver;
  /** Reused buffers for large request messages. */
  readonly buffers: FrameBuffers;
}

/** One forwarded method. */
export interface PassThroughMethod {
  readonly path: string;
  route(request: Buffer): ModelRoles;
  readonly label: ModelLabel;
}

/** The child's complete answer. */
interface ChildAnswer {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly trailers: IncomingHttpHeaders;
}

/** Response headers and trailers relayed from the child (transport headers are the stream's own). */
function relayed(from: IncomingHttpHeaders, base: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...base };
  for (const [k, v] of Object.entries(from)) if (!k.startsWith(':') && k !== 'date') out[k] = v;
  return out;
}

/**
 * Sends the frame to the child; resolves with its complete answer, rejects with its status as a
 * ServiceError. `opened` sees the child stream (to cancel it, and to know when it has closed).
 */
function callChild(ctx: PassThroughContext, path: string, link: GrpcChildLink, roles: ModelRoles, frame: Buffer, request: Buffer, deadline: Date, opened: (req: ClientHttp2Stream) => void): Promise<ChildAnswer> {
  return new Promise<ChildAnswer>((resolve, reject) => {
    const session = ctx.sessions.session(link);
    const req = session.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers',
      'grpc-timeout': timeoutHeader(deadline), ...childMetadata(link, roles, ctx.deps, request).toHttp2Headers(),
    }, { endStream: false });
    opened(req);
    let headers: IncomingHttpHeaders = {};
    const body: Buffer[] = [];
    let settled = false;
    const settle = (trailers: IncomingHttpHeaders): void => {
      if (settled) return;
      settled = true;
      const st = statusOf(trailers);
      if (st.code === status.OK) resolve({ headers, body: body.length === 1 ? body[0]! : Buffer.concat(body), trailers });
      else reject(serviceError(st.code, st.details, metadataOf(trailers)));
    };
    req.on('response', (h) => {
      headers = h;
      if (h['grpc-status'] !== undefined) settle(h);
    });
    req.on('data', (c: Buffer) => body.push(c));
    req.on('trailers', settle);
    req.on('error', () => undefined);
    req.on('close', () => {
      if (settled) return;
      settled = true;
      // As grpc-js reports a stream that ended without a status: a dropped connection is UNAVAILABLE.
      const rst = req.rstCode ?? 0;
      const code = rst === http2.constants.NGHTTP2_CANCEL ? status.CANCELLED
        : session.destroyed || session.closed || rst === http2.constants.NGHTTP2_REFUSED_STREAM || rst === 0 ? status.UNAVAILABLE : status.INTERNAL;
      reject(serviceError(code, code === status.UNAVAILABLE ? 'Connection dropped' : `Received RST_STREAM with code ${rst}`));
    });
    req.end(frame);
  });
}

/**
 * The states of one call: reading the request message, waiting on the child (forwarding), or
 * answered (status sent, or the client went away). Each event that would answer checks the state,
 * so a call is answered and counted exactly once.
 */
type CallState = 'reading' | 'forwarding' | 'answered';

/** One unary call of `method` on the client's `stream`. */
class PassThroughCall {
  #state: CallState = 'reading';
  readonly #started = performance.now();
  readonly #chunks: Buffer[] = [];
  #size = 0;
  /** Bytes of the whole length-prefixed message, once its prefix has arrived. */
  #need: number | undefined;
  /** The message once its length is known (a reused buffer for large ones), filled as chunks arrive. */
  #frame: Buffer | undefined;
  /** Child streams not closed yet: the frame is handed back only when none can still read it. */
  #childStreams = 0;
  #request: Buffer | undefined;
  #endDrain: () => void = () => undefined;
  #cancelChild: () => void = () => undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onData = (c: Buffer): void => this.#read(c);

  constructor(
    private readonly ctx: PassThroughContext,
    private readonly method: PassThroughMethod,
    private readonly stream: ServerHttp2Stream,
    private readonly headers: IncomingHttpHeaders,
  ) {
    stream.on('error', () => undefined);
    stream.on('close', () => {
      if (this.#state === 'answered') return;
      this.#cancelChild();
      this.#finish(status.CANCELLED);
    });
    stream.on('data', this.#onData);
    stream.once('end', () => {
      if (this.#state === 'reading' && (this.#need === undefined || this.#size < this.#need)) this.#fail(serviceError(status.UNIMPLEMENTED, `Received no request message for unary method ${method.path}`));
    });
  }

  #read(c: Buffer): void {
    if (this.#frame === undefined) {
      this.#chunks.push(c);
      this.#size += c.length;
      const head = this.#chunks.length === 1 ? c : Buffer.concat(this.#chunks, this.#size);
      const len = declaredLength(head);
      if (len === undefined) return;
      if (isCompressed(head)) return this.#refuse(serviceError(status.INTERNAL, 'compressed request message without grpc-encoding'));
      if (len > MAX_REQUEST_BYTES) return this.#refuse(serviceError(status.RESOURCE_EXHAUSTED, `Received message larger than max (${len} vs. ${MAX_REQUEST_BYTES})`));
      this.#need = PREFIX_BYTES + len;
      this.#chunks.length = 0;
      if (head.length >= this.#need && this.#need < POOLED_MIN_BYTES) {
        // A small message that came whole (the usual case): used where it is, never pooled.
        this.#frame = head.subarray(0, this.#need);
        this.#size = this.#need;
      } else {
        this.#frame = this.ctx.buffers.acquire(this.#need);
        head.copy(this.#frame, 0, 0, Math.min(head.length, this.#need));
        this.#size = Math.min(head.length, this.#need);
      }
    } else {
      const n = Math.min(c.length, this.#need! - this.#size);
      c.copy(this.#frame, this.#size, 0, n);
      this.#size += n;
    }
    if (this.#size < this.#need!) return;
    this.stream.off('data', this.#onData);
    void this.#forward(this.#frame);
  }

  /** Hands the frame back once the call is answered and no child stream can still read it. */
  #releaseFrame(): void {
    if (this.#state !== 'answered' || this.#childStreams > 0 || this.#frame === undefined) return;
    this.ctx.buffers.release(this.#frame);
    this.#frame = undefined;
  }

  #opened(req: ClientHttp2Stream): void {
    this.#cancelChild = () => req.close(http2.constants.NGHTTP2_CANCEL);
    this.#childStreams += 1;
    req.once('close', () => {
      this.#childStreams -= 1;
      this.#releaseFrame();
    });
  }

  #refuse(err: unknown): void {
    this.stream.off('data', this.#onData);
    this.#fail(err);
  }

  async #forward(frame: Buffer): Promise<void> {
    const { ctx, method, headers } = this;
    try {
      if (ctx.token) checkAuthorization(headers.authorization, ctx.token);
    } catch (err) {
      return this.#fail(err);
    }
    if (this.#state !== 'reading') return;
    this.#state = 'forwarding';
    const request = frame.subarray(PREFIX_BYTES);
    this.#request = request;
    this.#endDrain = ctx.begin();
    const deadline = deadlineFromTimeout(headers['grpc-timeout']) ?? new Date(Date.now() + ctx.deps.defaultTimeoutMs);
    this.#timer = setTimeout(() => {
      this.#cancelChild();
      this.#fail(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
    }, Math.max(0, deadline.getTime() - Date.now()));
    try {
      const roles = method.route(request);
      const res = await onChild(ctx.deps, roles, deadline, () => this.#state === 'forwarding', (link, resolved) =>
        callChild(ctx, method.path, link, resolved, frame, request, deadline, (req) => this.#opened(req)));
      if (this.#state !== 'forwarding' || this.stream.destroyed) return;
      const trailers = relayed(res.trailers, {});
      this.stream.respond(relayed(res.headers, { ':status': 200 }), { waitForTrailers: true });
      this.stream.once('wantTrailers', () => this.stream.sendTrailers(trailers));
      this.stream.end(res.body);
      this.#finish(status.OK);
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): void {
    if (this.#state === 'answered') return;
    const st = toGrpcStatus(err);
    if (!this.stream.destroyed && !this.stream.headersSent) this.stream.respond(trailersOnly(st), { endStream: true });
    this.#finish(st.code);
  }

  #finish(code: number): void {
    if (this.#state === 'answered') return;
    this.#state = 'answered';
    clearTimeout(this.#timer);
    const request = this.#request;
    if (request !== undefined && surfaceOf([this.headers[SURFACE_KEY]]) !== 'http') {
      const name = codeName(code);
      this.ctx.calls?.request({
        surface: 'grpc', method: this.method.path, model: modelOf(this.method.label, request, name), code: name, seconds: (performance.now() - this.#started) / 1000,
      });
    }
    this.#endDrain();
    this.#releaseFrame();
  }
}

/** Serves one call of `method` on `stream`. */
export function servePassThrough(ctx: PassThroughContext, method: PassThroughMethod, stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  new PassThroughCall(ctx, method, stream, headers);
}
