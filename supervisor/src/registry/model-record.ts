// The supervisor's record of one model (the brain's state), and its ModelInfo view.
import { Device, type LoadOptions } from '@tabagent/protos/v1/common';
import { ModelState, type ModelInfo } from '@tabagent/protos/v1/model_management';
import type { CatalogEntry } from '../store/types.js';

/** Mutable state of one model, owned by ModelRegistry. */
export interface ModelRecord {
  readonly id: string;
  state: ModelState;
  lastError: string;
  warnings: string[];
  provider: string;
  device: Device;
  memoryBytes: number;
  sizeBytes: number;
  loadedAtMs: number;
  lastUsedMs: number;
  options: LoadOptions;
  /** Requests currently using the model. */
  inFlight: number;
  /** Whether the model should be loaded (survives child restarts). */
  wanted: boolean;
  childPid: number;
}

/** A fresh record for a catalog entry. */
export function newRecord(id: string): ModelRecord {
  return {
    id, state: ModelState.MODEL_STATE_AVAILABLE, lastError: '', warnings: [], provider: '',
    device: Device.DEVICE_UNSPECIFIED, memoryBytes: 0, sizeBytes: 0, loadedAtMs: 0, lastUsedMs: 0,
    options: { devices: [], threads: 0, keepAliveSeconds: undefined }, inFlight: 0, wanted: false, childPid: 0,
  };
}

/** Effective keep-alive in seconds (-1 forever, 0 unload when idle). */
export function keepAliveOf(rec: ModelRecord, defaultSeconds: number): number {
  return rec.options.keepAliveSeconds ?? defaultSeconds;
}

/** The public view of a record. */
export function toModelInfo(rec: ModelRecord, entry: CatalogEntry, defaultKeepAlive: number): ModelInfo {
  const ready = rec.state === ModelState.MODEL_STATE_READY;
  const keep = keepAliveOf(rec, defaultKeepAlive);
  return {
    id: rec.id,
    task: entry.task,
    runtime: entry.runtime,
    state: rec.state,
    device: ready ? rec.device : Device.DEVICE_UNSPECIFIED,
    executionProvider: ready ? rec.provider : '',
    memoryBytes: ready ? rec.memoryBytes : 0,
    sizeBytes: rec.sizeBytes,
    lastError: rec.lastError,
    warnings: [...rec.warnings],
    source: entry.source,
    loadedAtMs: ready ? rec.loadedAtMs : 0,
    expiresAtMs: ready && keep >= 0 && rec.inFlight === 0 ? rec.lastUsedMs + keep * 1000 : 0,
    childPid: ready ? rec.childPid : 0,
    options: rec.options,
  };
}
