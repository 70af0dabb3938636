// Installs the pass-through forwarder on the public server: the HTTP/2 servers grpc-js creates while
// the public addresses are bound are captured (through Node's public http2 API, as grpc-window.ts
// does for the child), and their 'stream' listener is put behind a dispatcher that answers the
// forwarded methods itself and hands every other stream (control plane, Track, Text, compressed or
// non-gRPC requests) to grpc-js unchanged. When grpc-js no longer creates its servers that way, or
// no longer listens for 'stream' on them, nothing is installed and grpc-js serves every call.
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { routeVision } from './routes.js';
import { taskOfMethod } from '@tabagent/common';
import { VisionService } from '@tabagent/protos/v1/vision';
import { methodName } from './passthrough.js';
import { servePassThrough, type PassThroughContext, type PassThroughMethod } from './pass-through-call.js';

/** Answers a stream itself (true) or leaves it to grpc-js (false). */
export type StreamInterceptor = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => boolean;

type AnyServer = http2.Http2Server | http2.Http2SecureServer;
type Listener = (...args: unknown[]) => void;

/** Runs `bind`, and returns the HTTP/2 servers created meanwhile with its result. */
export async function captureHttp2Servers<T>(bind: () => Promise<T>): Promise<{ result: T; servers: AnyServer[] }> {
  const servers: AnyServer[] = [];
  const plain = http2.createServer;
  const secure = http2.createSecureServer;
  const capture = <F extends (...a: never[]) => AnyServer>(original: F): F => function (this: unknown, ...args: Parameters<F>): AnyServer {
    const s = original.apply(this, args);
    servers.push(s);
    return s;
  } as unknown as F;
  const wrappedPlain = capture(plain);
  const wrappedSecure = capture(secure);
  http2.createServer = wrappedPlain;
  http2.createSecureServer = wrappedSecure;
  try {
    return { result: await bind(), servers };
  } finally {
    // Put back what was there (unless something else replaced the functions meanwhile).
    if (http2.createServer === wrappedPlain) http2.createServer = plain;
    if (http2.createSecureServer === wrappedSecure) http2.createSecureServer = secure;
  }
}

/** Puts the servers' 'stream' listeners behind `intercept`; false (nothing changed) unless each has exactly one. */
export function interceptStreams(servers: readonly AnyServer[], intercept: StreamInterceptor): boolean {
  if (servers.length === 0 || servers.some((s) => s.listenerCount('stream') !== 1)) return false;
  for (const server of servers) {
    const [original] = server.listeners('stream') as Listener[];
    if (original === undefined) return false;
    server.removeListener('stream', original);
    server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ...rest: unknown[]) => {
      if (!intercept(stream, headers)) original.call(server, stream, headers, ...rest);
    });
  }
  return true;
}

/** Whether a request is one the forwarder may answer: gRPC, uncompressed. */
function plainGrpc(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  const enc = headers['grpc-encoding'];
  return typeof type === 'string' && type.startsWith('application/grpc') && (enc === undefined || enc === 'identity');
}

/** The unary Vision methods, forwarded by the pass-through. */
export function visionPassThroughMethods(canonical: (name: string) => string | undefined): PassThroughMethod[] {
  return Object.values(VisionService).filter((m) => !m.requestStream && !m.responseStream).map((m) => {
    const method = methodName(m.path);
    return { path: m.path, route: (req: Buffer) => routeVision(method, req), label: { field: taskOfMethod(method)?.wire.model ?? 0, canonical } };
  });
}

/** The interceptor that serves `methods` with the pass-through forwarder. */
export function passThroughInterceptor(ctx: PassThroughContext, methods: readonly PassThroughMethod[]): StreamInterceptor {
  const byPath = new Map(methods.map((m) => [m.path, m]));
  return (stream, headers) => {
    const path = headers[':path'];
    const method = typeof path === 'string' ? byPath.get(path) : undefined;
    if (method === undefined || !plainGrpc(headers)) return false;
    servePassThrough(ctx, method, stream, headers);
    return true;
  };
}
