// Builds the ChildSupervisor from the configuration: spawned children (mode all) or an attached
// ML service (mode supervisor: shared secret, reconnects with backoff forever, never FAILED),
// with orphan reaping.
import type { Logger } from '@tabagent/common';
import type { Config } from '../config/config.js';
import type { InternalLink } from '../files/internal-server.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { attachedChildFactory } from './attached.js';
import { ChildReaper } from './cleanup.js';
import { grpcChildLinkFactory, type GrpcChildLink } from './child-link.js';
import { ChildSupervisor, type LifecyclePolicy } from './child-supervisor.js';
import type { MlChildFactory } from './ml-child.js';
import { processChildFactory } from './spawn.js';

/** Reconnect delays of attach mode: quick first retries, capped low (a reconnect costs nothing). */
const ATTACH_BACKOFF: BackoffPolicy = Object.freeze({ ...DEFAULT_BACKOFF, initialMs: 200, maxMs: 5_000 });

/** The lifecycle policy of a mode. */
export function lifecyclePolicy(config: Config): LifecyclePolicy {
  const attach = config.mode === 'supervisor';
  return {
    backoff: { ...(attach ? ATTACH_BACKOFF : DEFAULT_BACKOFF), resetAfterMs: config.stableAfterMs },
    maxRestarts: attach ? Number.MAX_SAFE_INTEGER : config.maxRestarts,
    restartWindowMs: config.restartWindowSeconds * 1000,
    retryAfterFailedMs: config.restartRetrySeconds * 1000,
    hangTimeoutMs: config.hangTimeoutMs,
    healthIntervalMs: config.healthIntervalMs,
    startTimeoutMs: config.startTimeoutMs,
  };
}

/**
 * Creates the lifecycle; `secrets` is kept filled with the secret of the live child. In attach mode
 * it reaches the ML service at `endpoint` (one node of the endpoint list).
 */
export function buildChildSupervisor(
  config: Config, log: Logger, link: InternalLink, secrets: string[], onReady: (l: GrpcChildLink) => Promise<void>, endpoint = config.mlEndpoint,
): ChildSupervisor<GrpcChildLink> {
  const reaper = new ChildReaper();
  const attach = config.mode === 'supervisor';
  const base: MlChildFactory = attach
    ? attachedChildFactory(endpoint)
    : processChildFactory({ log, logLevel: config.logLevel, threads: config.threads, entry: config.mlEntry || undefined });
  const factory: MlChildFactory = (opts) => {
    secrets.splice(0, secrets.length, opts.secret);
    return base(opts);
  };
  return new ChildSupervisor<GrpcChildLink>({
    factory,
    connect: grpcChildLinkFactory,
    listenAddress: (g) => link.childAddress(g),
    filesEndpoint: link.filesEndpoint,
    onReady: (l) => onReady(l),
    log: attach ? log.child({ node: endpoint }) : log,
    onPid: (pid, alive) => (alive ? reaper.add(pid) : reaper.remove(pid)),
    secret: attach ? () => config.mlSecret : undefined,
    policy: lifecyclePolicy(config),
  });
}
