// Per-model embedding settings read from the catalog's params (like a Triton model config):
// dynamic batching and the per-request text limit, with defaults.

import type { BatchingOptions } from './batcher.js';
import { loadFailed } from './errors.js';

/** Settings of one embedding model. */
export interface EmbedConfig {
  readonly batching: BatchingOptions;
  /** Most texts one request may carry. */
  readonly maxTextsPerRequest: number;
}

export const DEFAULT_EMBED_CONFIG: EmbedConfig = Object.freeze({
  batching: Object.freeze({ enabled: true, maxBatchSize: 32, maxQueueDelayMs: 2 }),
  maxTextsPerRequest: 256,
});

function num(v: unknown, name: string, min: number, fallback: number, integer: boolean): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw loadFailed(`params.${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Reads `params.dynamicBatching` (false, or { maxBatchSize, maxQueueDelayMs }) and
 * `params.maxTextsPerRequest`. Invalid values fail the load naming the parameter.
 */
export function embedConfig(params: Readonly<Record<string, unknown>>): EmbedConfig {
  const raw = params['dynamicBatching'];
  const d = DEFAULT_EMBED_CONFIG;
  let batching: BatchingOptions = d.batching;
  if (raw === false) batching = { ...d.batching, enabled: false };
  else if (raw !== undefined && raw !== true) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw loadFailed('params.dynamicBatching must be a boolean or an object');
    const o = raw as Record<string, unknown>;
    batching = {
      enabled: o['enabled'] !== false,
      maxBatchSize: num(o['maxBatchSize'], 'dynamicBatching.maxBatchSize', 1, d.batching.maxBatchSize, true),
      maxQueueDelayMs: num(o['maxQueueDelayMs'], 'dynamicBatching.maxQueueDelayMs', 0, d.batching.maxQueueDelayMs, false),
    };
  }
  return Object.freeze({
    batching: Object.freeze(batching),
    maxTextsPerRequest: num(params['maxTextsPerRequest'], 'maxTextsPerRequest', 1, d.maxTextsPerRequest, true),
  });
}
