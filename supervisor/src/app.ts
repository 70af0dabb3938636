// Wires the supervisor together: catalog + store, the internal link, the ML nodes (the spawned child,
// or the attached nodes of the endpoint list), the model registry and the public server; and shuts it
// all down in order (drain, stop the nodes, clean up).
import { join } from 'node:path';
import { HEALTH_SERVICES, type Logger } from '@tabagent/common';
import { capabilityStatuses } from './registry/capability-health.js';
import { modelManagementService } from './api/model-management.js';
import { countTypedService } from './api/request-counting.js';
import { startPublicServer, type PublicServer } from './api/public-server.js';
import { ChildSessions } from './api/child-sessions.js';
import { FrameBuffers } from './api/frame-buffers.js';
import { passThroughInterceptor, visionPassThroughMethods } from './api/pass-through-server.js';
import { textProxy, visionProxy } from './api/inference-services.js';
import { SharedMemoryTable, sharedMemoryService } from './api/shared-memory-service.js';
import { scanFrameRegion } from './api/wire-scan.js';
import { buildChildSupervisor } from './child/build.js';
import { callUnary } from './child/call.js';
import { CHILD_STATES } from './child/child-supervisor.js';
import { LOCAL_NODE } from './child/child-runtime.js';
import type { Config } from './config/config.js';
import { IssuedFiles } from './files/issued-files.js';
import { startInternalLink, type InternalLink } from './files/internal-server.js';
import { modelFilesService } from './files/model-files-service.js';
import { ModelFilesService } from '@tabagent/protos/v1/model_files';
import { ModelManagementService } from '@tabagent/protos/v1/model_management';
import { SupervisorModels, type AcquireKind } from './registry/supervisor-models.js';
import { realClock } from './child/clock.js';
import { NodePool } from './nodes/node-pool.js';
import { poolRuntimeStatus } from './nodes/pool-status.js';
import { EndpointResolver, dnsServerResolver } from './nodes/resolver.js';
import { loadCatalog } from './registry/catalog-setup.js';
import { InFlightCalls } from './drain.js';
import { ModelStore } from './store/store.js';
import { startHttpServer } from './http/server.js';
import { InProcessService } from './http/core/in-process.js';
import { Metrics } from './metrics/metrics.js';
import { registerConverters } from './store/converter-adapter.js';

/** Time given to the statuses of the last drained calls to reach their clients before closing. */
const STATUS_FLUSH_MS = 250;

/** A running supervisor. */
export interface SupervisorApp {
  readonly port: number;
  readonly nodes: NodePool;
  readonly registry: SupervisorModels;
  /** Graceful shutdown: stop accepting, drain up to the grace period, stop the child. */
  shutdown(): Promise<void>;
}

/** Starts the supervisor (modes "all" and "supervisor"). */
export async function startSupervisor(config: Config, log: Logger): Promise<SupervisorApp> {
  const catalog = await loadCatalog(config, log);
  const metrics = new Metrics();
  const store = new ModelStore({ catalog, cacheRoot: config.cacheDir, logger: log, localModelsDir: config.sharedModelsDir, hfEndpoint: config.hfEndpoint || undefined, observer: metrics });
  registerConverters(store, log);
  const issued = new IssuedFiles();
  const secrets: string[] = [];
  const files = modelFilesService(store, issued, () => secrets);
  const link: InternalLink = await startInternalLink(files);
  const nodes: NodePool = new NodePool({
    log,
    build: (id, onReady) => buildChildSupervisor(config, log, link, secrets, onReady, id === LOCAL_NODE ? undefined : id),
    onNodeReady: (rt) => registry.reloadAll(rt),
  });
  let refreshHealth = (): void => undefined;
  const registry: SupervisorModels = new SupervisorModels({
    store, issued, log, clock: realClock, onChange: () => refreshHealth(),
    child: nodes,
    defaultKeepAliveSeconds: config.keepAliveSeconds,
    maxLoaded: config.maxLoadedModels,
    budgetBytes: config.memoryBudgetMb * 1024 * 1024,
    childWaitMs: config.startTimeoutMs + 10_000,
    queueSize: config.queueSize,
  });
  const deps = {
    whenReady: (ms: number) => nodes.whenReady(Math.max(0, ms)),
    lease: async (roles: Record<string, string>, kind?: AcquireKind, avoid?: string) => {
      const started = performance.now();
      const lease = await registry.lease(roles, kind, avoid);
      // A request's queue wait: until its models are loaded and a node holds them (streams are not queued).
      if (kind !== 'stream') metrics.queueWait(new Set(Object.values(lease.roles).filter(Boolean)), (performance.now() - started) / 1000);
      metrics.routed(lease.node);
      return lease;
    },
    link: (node: string) => nodes.link(node),
    defaultTimeoutMs: 60_000,
  };
  const calls = new InFlightCalls();
  const sharedMemory = new SharedMemoryTable(config.shmDir);
  // A unary call carries only the region its frame names; a Track stream, every region.
  const canonical = (name: string): string | undefined => (name !== '' && catalog.has(name) ? catalog.resolve(name) : undefined);
  const observers = {
    calls: metrics, frames: metrics, canonical,
    tokens: { stream: (surface: string, method: string, model: string, startedMs: number) => metrics.tokenTiming(surface, method, () => canonical(model), startedMs) },
  };
  const visionDeps = { ...deps, regions: (req?: Buffer) => sharedMemory.resolved(req === undefined ? undefined : scanFrameRegion(req)) };
  const vision = visionProxy(visionDeps, observers);
  const childSessions = new ChildSessions();
  const passThrough = config.forwarder === 'pass-through'
    ? passThroughInterceptor({ deps: visionDeps, sessions: childSessions, token: config.authToken, begin: () => calls.begin(), calls: metrics, buffers: new FrameBuffers() }, visionPassThroughMethods(canonical))
    : undefined;
  const text = textProxy(deps, observers);
  metrics.scrapeFrom({
    childStates: CHILD_STATES,
    loaded: () => registry.loadedFiles(),
    nodes: () => nodes.nodes().map((n) => ({
      node: n.id, state: n.lifecycle.state, localPid: n.lifecycle.child?.remote === true ? undefined : n.lifecycle.child?.pid,
      status: async (deadline: Date) => {
        const link = n.lifecycle.link;
        return link ? callUnary(link.runtime.status, link.runtime, {}, link.metadata(), deadline) : undefined;
      },
    })),
  });
  const textImpl = calls.wrap(text.impl);
  // The HTTP routes that call the Text service in process rather than over loopback.
  const textInProcess = new InProcessService(textImpl);
  const visionImpl = calls.wrap(vision.impl);
  const visionInProcess = new InProcessService(visionImpl);
  const pub: PublicServer = await startPublicServer(config.host, config.port, config.authToken, {
    modelManagement: calls.wrap(countTypedService(metrics, ModelManagementService, modelManagementService(registry, () => poolRuntimeStatus(nodes)), canonical)),
    vision: { definition: vision.definition, impl: visionImpl },
    text: { definition: text.definition, impl: textImpl },
    sharedMemory: sharedMemoryService(sharedMemory),
    // An attached ML service runs elsewhere: it reads model files here, guarded by the shared secret.
    extra: config.mode === 'supervisor' ? [{ definition: ModelFilesService, impl: files }] : [],
  }, config.tls ? { ...config.tls, privateSocket: join(link.dir, 'api.sock') } : undefined, passThrough);
  if (passThrough && !pub.intercepting) log.warn('the pass-through forwarder could not hook the gRPC server\'s HTTP/2 streams: unary Vision calls go through grpc-js');
  refreshHealth = () => {
    for (const [c, st] of capabilityStatuses(nodes.anyUp(), registry.failedTasks())) pub.health.setStatus(c, st);
  };
  const spawns = new Map<string, number>();
  nodes.on('node-state', (id: string, state: string, lifecycle: string) => {
    refreshHealth();
    metrics.nodeUp(id, state === 'up');
    if (lifecycle !== 'starting') return;
    const n = (spawns.get(id) ?? 0) + 1;
    spawns.set(id, n);
    if (n > 1) metrics.childRestarted(id);
  });
  nodes.on('node-failed', (id: string, reason: string) => registry.childFailed(reason, id));
  nodes.on('node-exit', (id: string, reason: string) => {
    registry.childLost(`${reason}; reloading on the next ML process`, id);
    registry.rebalance();
  });
  nodes.on('node-ready', () => registry.rebalance());
  nodes.on('node-removed', (id: string) => {
    registry.nodeRemoved(id);
    metrics.nodeUp(id, false);
    registry.rebalance();
  });
  const resolver = config.mode === 'supervisor' ? new EndpointResolver({
    endpoints: config.mlEndpoints, file: config.mlEndpointsFile, intervalMs: config.mlResolveIntervalMs, log,
    ...(config.mlDnsServer ? { resolve: dnsServerResolver(config.mlDnsServer) } : {}),
    onChange: (addresses) => nodes.setAddresses(addresses),
  }) : undefined;
  if (resolver) await resolver.start();
  else nodes.add(LOCAL_NODE);
  for (const id of config.preload) void registry.load(id).catch((err: unknown) => log.error({ model: id, err: (err as Error).message }, 'preload failed'));
  log.info({ host: config.host, port: pub.port, mode: config.mode, tls: config.tls !== undefined, forwarder: pub.intercepting ? 'pass-through' : 'grpc-js' }, 'tabagent-server listening');
  const http = config.http ? await startHttpServer({
    host: config.httpHost, port: config.httpPort, authToken: config.authToken, grpcHost: config.host, grpcPort: pub.port, log, metrics,
    grpcPrivateAddress: pub.privateAddress, tls: config.tls, text: textInProcess, vision: visionInProcess.invoke,
    canonicalModel: (name) => (catalog.has(name) ? catalog.resolve(name) : undefined),
    readiness: { childReady: () => nodes.anyUp(), loadedModels: async () => (await registry.list(true)).map((m) => m.id), preload: config.preload },
  }) : undefined;

  let closing: Promise<void> | undefined;
  return {
    port: pub.port, nodes, registry,
    shutdown: () => (closing ??= (async () => {
      log.info({ graceMs: config.shutdownGraceMs, inFlight: calls.count }, 'shutting down: draining in-flight work');
      pub.health.setStatus(HEALTH_SERVICES.server, 'NOT_SERVING');
      // The HTTP listener stops accepting now; its requests in progress end with their gRPC (or in-process) calls.
      const httpClosed = http?.close();
      // Stop accepting; let the calls in progress finish within the grace period; then close what
      // is left (health watches, streams past the grace period).
      const timers: NodeJS.Timeout[] = [];
      const after = <T>(ms: number, v: T): Promise<T> => new Promise((r) => timers.push(setTimeout(() => r(v), ms)));
      const drained = await Promise.race([
        // The gRPC server is idle, and so are the HTTP calls it does not see (made in process).
        new Promise<void>((r) => pub.server.tryShutdown(() => r())).then(() => Promise.all([textInProcess.whenIdle(), visionInProcess.whenIdle()])).then(() => true),
        // The last call's status is queued when it counts as done: give it a moment on the wire.
        calls.whenIdle().then(() => after(STATUS_FLUSH_MS, true)),
        after(config.shutdownGraceMs, false),
      ]);
      for (const t of timers) clearTimeout(t);
      if (!drained) log.warn({ inFlight: calls.count }, 'grace period over: cancelling the calls still in progress');
      pub.server.forceShutdown();
      textInProcess.close();
      visionInProcess.close();
      childSessions.close();
      await httpClosed;
      resolver?.stop();
      await nodes.stop(Math.min(5_000, Math.max(1_000, config.shutdownGraceMs)));
      registry.close();
      store.close();
      await link.close();
      log.info('tabagent-server stopped');
    })()),
  };
}
