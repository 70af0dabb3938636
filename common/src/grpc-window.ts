// Larger HTTP/2 receive windows on grpc-js servers. grpc-js servers ignore
// `grpc-node.flow_control_window`, so every stream receives through the default 64 KB window: a
// client streaming 900 KB camera frames stalls on window updates while the server's event loop runs
// a model. This widens the per-stream window (initial SETTINGS) and each session's connection
// window. It reaches into grpc-js internals; when they change it does nothing (never throws).
import type { Server, ServerCredentials } from '@grpc/grpc-js';
import type { EventEmitter } from 'node:events';
import type { Http2Session } from 'node:http2';

/** Window size given to server streams and sessions. */
export const SERVER_WINDOW_BYTES = 16 * 1024 * 1024;

/** Call before bindAsync: per-stream window advertised in the server's SETTINGS. */
export function widenStreamWindows(server: Server, bytes = SERVER_WINDOW_BYTES): void {
  const s = server as unknown as { commonServerOptions?: { settings?: Record<string, unknown> } };
  if (s.commonServerOptions && typeof s.commonServerOptions === 'object') {
    s.commonServerOptions.settings = { ...s.commonServerOptions.settings, initialWindowSize: bytes };
  }
}

/** Call after bindAsync: each new session gets a larger connection window. */
export function widenSessionWindows(server: Server, bytes = SERVER_WINDOW_BYTES): void {
  const map = (server as unknown as { http2Servers?: Map<EventEmitter, unknown> }).http2Servers;
  if (!(map instanceof Map)) return;
  for (const h2 of map.keys()) {
    h2.on('session', (session: Http2Session) => {
      try {
        session.setLocalWindowSize(bytes);
      } catch {
        // session already closing
      }
    });
  }
}

/** Binds a server with widened windows; resolves with the bound port. */
export async function bindGrpcServer(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  widenStreamWindows(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p)));
  });
  widenSessionWindows(server);
  return port;
}
