// Binding grpc-js servers in one place. (Widening the servers' HTTP/2 receive windows through
// grpc-js internals was tried to stop streamed frames stalling on window updates; it made
// segmentation Track streams hang, so servers keep grpc-js's defaults.)
import type { Server, ServerCredentials } from '@grpc/grpc-js';

/** Binds a server; resolves with the bound port. */
export function bindGrpcServer(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p)));
  });
}
