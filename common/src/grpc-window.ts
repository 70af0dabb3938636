// Binding grpc-js servers, and the wide HTTP/2 receive windows of the ML child's server.
//
// A grpc-js server keeps Node's HTTP/2 defaults for what it receives: a 64 KiB flow-control window
// and 16 KiB frames (grpc-js reads `grpc-node.flow_control_window` only on the client side). A
// 921,600-byte frame (640×480 RGB) then needs about 14 WINDOW_UPDATE round trips between two
// processes: measured over a unix socket, a unary call carrying it took 2.4 ms, against 1.1 ms
// with a 16 MiB window and 1 MiB frames.
//
// Wide windows on both ends of one connection can deadlock, though: Node's HTTP/2 session stops
// reading its socket while one of its writes is pending. If each peer may send more than the
// socket buffer holds (about 200 KiB for a unix socket), both can end up blocked in a write while
// neither reads; a segmentation Track stream (frames in, masks out) hung this way. So only one end
// of a connection may be wide: the ML child's server receives with wide windows, and the
// supervisor's link to it (`grpcLinkChannelOptions`) keeps the default 64 KiB receive window, so
// the child's writes always fit in the socket buffer, always complete, and the child always goes
// back to reading.
import http2 from 'node:http2';
import type { Server, ServerCredentials } from '@grpc/grpc-js';
import { MAX_FRAME_BYTES, WINDOW_BYTES } from './grpc-options.js';


const INSTALLED = Symbol.for('tabagent.http2.serverWindows');

type CreateServer = typeof http2.createServer & { [INSTALLED]?: true };

/** Opens the connection-level window of a new server session. */
function widenSession(session: http2.ServerHttp2Session): void {
  try {
    session.setLocalWindowSize(WINDOW_BYTES);
  } catch {
    // The session closed before its window could be set: nothing to widen.
  }
}

/**
 * Makes the HTTP/2 servers this process creates afterwards (grpc-js creates one when it binds)
 * receive with wide windows and large frames. Only for a process whose every client keeps a narrow
 * receive window (see above): the ML child. Installing twice is a no-op.
 */
export function widenHttp2ServerWindows(): void {
  const original = http2.createServer as CreateServer;
  if (original[INSTALLED]) return;
  const wrapped = function createServer(
    this: unknown,
    options?: http2.ServerOptions | ((...args: never[]) => void),
    listener?: (...args: never[]) => void,
  ): http2.Http2Server {
    if (typeof options === 'function') {
      listener = options;
      options = undefined;
    }
    const settings: http2.Settings = {
      ...options?.settings,
      initialWindowSize: Math.max(options?.settings?.initialWindowSize ?? 0, WINDOW_BYTES),
      maxFrameSize: Math.max(options?.settings?.maxFrameSize ?? 0, MAX_FRAME_BYTES),
    };
    const server = (original as (...a: unknown[]) => http2.Http2Server).call(this, { ...options, settings }, listener);
    server.on('session', widenSession);
    return server;
  } as unknown as CreateServer;
  wrapped[INSTALLED] = true;
  http2.createServer = wrapped;
}

/** Binds a server; resolves with the bound port. */
export function bindGrpcServer(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p)));
  });
}
