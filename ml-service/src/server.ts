// The ML child's gRPC server: Runtime, Vision, Text and grpc.health.v1, on a unix socket or a
// loopback port chosen by the OS.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { chmod } from 'node:fs/promises';
import { bindGrpcServer, HEALTH_SERVICES, HealthImplementation, grpcServerOptions, guardService, tolerantService, widenHttp2ServerWindows, type Logger } from '@tabagent/common';
import { RuntimeService } from '@tabagent/protos/v1/runtime';
import { TextService } from '@tabagent/protos/v1/text';
import { VisionService } from '@tabagent/protos/v1/vision';
import { BatchTally } from './embeddings/batch-tally.js';
import type { LoadedModels } from './runtime/loaded-models.js';
import { runtimeService } from './services/runtime-service.js';
import { textService } from './services/text-service.js';
import { visionService } from './services/vision-service.js';

/** A running child server. */
export interface MlServer {
  /** The address actually bound, in the same form as `listen` (port resolved). */
  readonly address: string;
  readonly health: HealthImplementation;
  /** Stops accepting, waits up to graceMs for calls, then forces. */
  stop(graceMs: number): Promise<void>;
}

/** Starts the server. */
export async function startMlServer(opts: { listen: string; secret: string; loadedModels: LoadedModels; log: Logger }): Promise<MlServer> {
  // Frames arrive in one wide window instead of ~14 window updates each (see grpc-window.ts).
  widenHttp2ServerWindows();
  const server = new Server(grpcServerOptions());
  const health = new HealthImplementation({
    [HEALTH_SERVICES.server]: 'NOT_SERVING',
    [HEALTH_SERVICES.runtime]: 'NOT_SERVING',
    [HEALTH_SERVICES.vision]: 'NOT_SERVING',
    [HEALTH_SERVICES.text]: 'NOT_SERVING',
  });
  health.addToServer(server);
  // Embedding batch sizes: recorded by the Text service, reported by Runtime Status.
  const batches = new BatchTally();
  // Malformed request bytes are INVALID_ARGUMENT naming `request`, not INTERNAL (which reads as a lost child).
  const runtime = tolerantService(RuntimeService, runtimeService(opts.loadedModels, opts.log, batches));
  server.addService(runtime.definition, guardService(runtime.impl, opts.secret));
  const vision = tolerantService(VisionService, visionService(opts.loadedModels, opts.log));
  server.addService(vision.definition, guardService(vision.impl, opts.secret));
  const text = tolerantService(TextService, textService(opts.loadedModels, opts.log, batches));
  server.addService(text.definition, guardService(text.impl, opts.secret));
  const port = await bindGrpcServer(server, opts.listen, ServerCredentials.createInsecure());
  if (opts.listen.startsWith('unix:')) await chmod(opts.listen.slice('unix:'.length), 0o600);
  const address = opts.listen.startsWith('unix:') ? opts.listen : opts.listen.replace(/:\d+$/, `:${port}`);
  for (const s of Object.values(HEALTH_SERVICES)) if (s !== HEALTH_SERVICES.modelManagement && s !== HEALTH_SERVICES.ml) health.setStatus(s, 'SERVING');
  return {
    address,
    health,
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        for (const s of Object.values(HEALTH_SERVICES)) health.setStatus(s, 'NOT_SERVING');
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
