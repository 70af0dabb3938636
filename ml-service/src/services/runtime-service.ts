// The Runtime gRPC service of the child: LoadModel / UnloadModel / Status for the supervisor.
import { invalidArgument, unary } from '@tabagent/common';
import type {
  RuntimeLoadRequest, RuntimeLoadResponse, RuntimeServer, RuntimeStatusResponse, RuntimeUnloadRequest, RuntimeUnloadResponse,
} from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import type { ModelRegistry } from '../runtime/model-registry.js';
import { availableProviders } from '../runtime/providers.js';
import { runtimeVersions } from '../runtime/versions.js';

/** Builds the Runtime service implementation. */
export function runtimeService(registry: ModelRegistry, log: Logger): RuntimeServer {
  const startedAt = Date.now();
  return {
    loadModel: unary(async (req: RuntimeLoadRequest): Promise<RuntimeLoadResponse> => {
      const manifest = req.manifest;
      if (!manifest?.model) throw invalidArgument('manifest.model', 'is required');
      const t0 = performance.now();
      const rssBefore = process.memoryUsage.rss();
      log.info({ model: manifest.model, runtime: manifest.runtime }, 'loading model');
      const m = await registry.load(manifest);
      const loadMs = performance.now() - t0;
      log.info({ model: manifest.model, provider: m.provider, ms: Math.round(loadMs) }, 'model loaded');
      return {
        model: manifest.model, device: m.device, executionProvider: m.provider, warnings: [...m.warnings],
        rssBefore, rssAfter: process.memoryUsage.rss(), loadMs,
      };
    }),
    unloadModel: unary(async (req: RuntimeUnloadRequest): Promise<RuntimeUnloadResponse> => {
      if (!req.model) throw invalidArgument('model', 'is required');
      const wasLoaded = await registry.unload(req.model);
      if (wasLoaded) log.info({ model: req.model }, 'model unloaded');
      return { wasLoaded, rssAfter: process.memoryUsage.rss() };
    }),
    status: unary(async (): Promise<RuntimeStatusResponse> => {
      const mem = process.memoryUsage();
      return {
        models: registry.list().map((m) => ({
          model: m.manifest.model, task: m.manifest.task, runtime: m.manifest.runtime, device: m.device,
          executionProvider: m.provider, memoryBytes: m.memoryBytes, inFlight: m.inFlight,
        })),
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        gpuMemoryBytes: undefined,
        runtimeVersions: runtimeVersions(),
        availableProviders: availableProviders(),
        pid: process.pid,
        uptimeSeconds: (Date.now() - startedAt) / 1000,
      };
    }),
  };
}
