// The supervisor's record of one model (its lifecycle state, internal), and the read-only view of it.
import { Device, type LoadOptions } from '@tabagent/protos/v1/common';
import type { ModelInfo } from '@tabagent/protos/v1/model_management';
import type { CatalogEntry } from '../store/core/types.js';
import { placementViews, type LoadFacts, type Placement, type PlacementView } from './placements.js';

/** Lifecycle states of a model in the supervisor (mapped to the wire enum only at the API edge). */
export type ModelStatus = 'available' | 'pulling' | 'converting' | 'pulled' | 'loading' | 'ready' | 'unloaded' | 'failed';

/** Mutable state of one model, owned by SupervisorModels. */
export interface ModelRecord extends LoadFacts {
  readonly id: string;
  state: ModelStatus;
  lastUsedMs: number;
  options: LoadOptions;
  /** Requests and streams currently using the model. */
  inFlight: number;
  /** Requests (not Track streams) outstanding on the model: waiting for its load or running. */
  requests: number;
  /** Whether the model should be loaded (survives child restarts). */
  wanted: boolean;
  childPid: number;
  /** Its copies on the ML nodes, by node id. */
  readonly placements: Map<string, Placement>;
}

/** The public view of a model, with the internal state. */
export type ModelView = Omit<ModelInfo, 'state' | 'nodes'> & { readonly state: ModelStatus; readonly nodes: readonly PlacementView[] };

/** A fresh record for a catalog entry. */
export function newRecord(id: string): ModelRecord {
  return {
    id, state: 'available', lastError: '', warnings: [], provider: '',
    device: Device.DEVICE_UNSPECIFIED, memoryBytes: 0, loadedAtMs: 0, lastUsedMs: 0, requests: 0,
    options: { devices: [], threads: 0, keepAliveSeconds: undefined, replicas: undefined }, inFlight: 0, wanted: false, childPid: 0,
    placements: new Map(),
  };
}

/** ML nodes a model is placed on (0 = every node): the load option, else the catalog's, else 1. */
export function replicasOf(rec: ModelRecord, entry: CatalogEntry): number {
  return rec.options.replicas ?? entry.replicas ?? 1;
}

/** Effective keep-alive in seconds (-1 forever, 0 unload when idle). */
export function keepAliveOf(rec: ModelRecord, defaultSeconds: number): number {
  return rec.options.keepAliveSeconds ?? defaultSeconds;
}

/** What the cache knows of a model: whether it is there, and its size on disk. */
export interface CacheFacts {
  readonly cached: boolean;
  readonly sizeBytes: number;
}

/** The view of a record (pure: a cached model never pulled in this run shows as pulled). */
export function toModelView(rec: ModelRecord, entry: CatalogEntry, cache: CacheFacts, defaultKeepAlive: number): ModelView {
  const ready = rec.state === 'ready';
  const keep = keepAliveOf(rec, defaultKeepAlive);
  return {
    id: rec.id,
    task: entry.task,
    runtime: entry.runtime,
    state: rec.state === 'available' && cache.cached ? 'pulled' : rec.state,
    device: ready ? rec.device : Device.DEVICE_UNSPECIFIED,
    executionProvider: ready ? rec.provider : '',
    memoryBytes: ready ? rec.memoryBytes : 0,
    sizeBytes: cache.sizeBytes,
    lastError: rec.lastError,
    warnings: [...rec.warnings],
    source: entry.source,
    loadedAtMs: ready ? rec.loadedAtMs : 0,
    expiresAtMs: ready && keep >= 0 && rec.inFlight === 0 ? rec.lastUsedMs + keep * 1000 : 0,
    childPid: ready ? rec.childPid : 0,
    options: rec.options,
    nodes: placementViews(rec.placements.values()),
    replicas: replicasOf(rec, entry),
  };
}
