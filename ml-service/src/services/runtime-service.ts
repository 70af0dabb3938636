// The Runtime gRPC service of the child: LoadModel / UnloadModel / Status for the supervisor.
import { invalidArgument, unary } from '@tabagent/common';
import type {
  RuntimeLoadRequest, RuntimeLoadResponse, RuntimeServer, RuntimeStatusResponse, RuntimeUnloadRequest, RuntimeUnloadResponse,
} from '@tabagent/protos/v1/runtime';
import type { Logger } from 'pino';
import type { BatchTally } from '../embeddings/batch-tally.js';
import type { LoadedModels } from '../runtime/loaded-models.js';
import { drainTimeout } from '../runtime/model-calls.js';
import { availableProviders } from '../runtime/providers.js';
import { runtimeVersions } from '../runtime/versions.js';

/** Builds the Runtime service implementation. */
export function runtimeService(loadedModels: LoadedModels, log: Logger, batches?: Pick<BatchTally, 'snapshot'>): RuntimeServer {
  const startedAt = Date.now();
  return {
    loadModel: unary(async (req: RuntimeLoadRequest): Promise<RuntimeLoadResponse> => {
      const manifest = req.manifest;
      if (!manifest?.model) throw invalidArgument('manifest.model', 'is required');
      const t0 = performance.now();
      const rssBefore = process.memoryUsage.rss();
      log.info({ model: manifest.model, runtime: manifest.runtime }, 'loading model');
      const m = await loadedModels.load(manifest);
      const loadMs = performance.now() - t0;
      log.info({ model: manifest.model, provider: m.provider, ms: Math.round(loadMs) }, 'model loaded');
      return {
        model: manifest.model, device: m.device, executionProvider: m.provider, warnings: [...m.warnings],
        rssBefore, rssAfter: process.memoryUsage.rss(), loadMs,
      };
    }),
    unloadModel: unary(async (req: RuntimeUnloadRequest, call): Promise<RuntimeUnloadResponse> => {
      if (!req.model) throw invalidArgument('model', 'is required');
      // The calls in flight on the model finish first, within the unload's own deadline.
      const wasLoaded = await loadedModels.unload(req.model, { drainTimeoutMs: drainTimeout(call.getDeadline()) });
      if (wasLoaded) log.info({ model: req.model }, 'model unloaded');
      return { wasLoaded, rssAfter: process.memoryUsage.rss() };
    }),
    status: unary(async (): Promise<RuntimeStatusResponse> => {
      const mem = process.memoryUsage();
      return {
        models: loadedModels.list().map((m) => ({
          model: m.manifest.model, task: m.manifest.task, runtime: m.manifest.runtime, device: m.device,
          executionProvider: m.provider, memoryBytes: m.memoryBytes, inFlight: m.calls.inFlight, requestsTotal: m.calls.total,
        })),
        rssBytes: mem.rss,
        heapUsedBytes: mem.heapUsed,
        gpuMemoryBytes: undefined,
        runtimeVersions: runtimeVersions(),
        availableProviders: availableProviders(),
        pid: process.pid,
        uptimeSeconds: (Date.now() - startedAt) / 1000,
        embedBatches: batches?.snapshot() ?? [],
      };
    }),
  };
}

