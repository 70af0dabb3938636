// The internal link: a private folder (0700) holding the supervisor's ModelFiles socket (0600) and
// the children's sockets, so only this user can reach them; the per-spawn secret is checked on top.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindGrpcServer, grpcServerOptions } from '@tabagent/common';
import type { ModelFilesServer } from '@tabagent/protos/v1/model_files';
import { modelFilesDefinition } from './file-chunk-codec.js';

/** The bound internal server. */
export interface InternalLink {
  /** Folder of the sockets. */
  readonly dir: string;
  /** Address children use for ModelFiles. */
  readonly filesEndpoint: string;
  /** Socket address for child generation N. */
  childAddress(generation: number): string;
  close(): Promise<void>;
}

/** Creates the folder, binds ModelFiles on a unix socket, and tightens permissions. */
export async function startInternalLink(files: ModelFilesServer): Promise<InternalLink> {
  const dir = await mkdtemp(join(tmpdir(), 'tabagent-'));
  await chmod(dir, 0o700);
  const sock = join(dir, 'files.sock');
  const server = new Server(grpcServerOptions());
  server.addService(modelFilesDefinition, files);
  await bindGrpcServer(server, `unix:${sock}`, ServerCredentials.createInsecure());
  await chmod(sock, 0o600);
  return {
    dir,
    filesEndpoint: `unix:${sock}`,
    childAddress: (generation) => `unix:${join(dir, `ml-${generation}.sock`)}`,
    close: async () => {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
