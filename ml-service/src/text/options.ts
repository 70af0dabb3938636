// Generation request options, their defaults and validation (TEXT_INVALID_ARGUMENT naming the field).

import { invalidArgument } from './errors.js';
import type { TextModelInfo } from './model-info.js';

/** The sampler's settings, resolved from the request. */
export interface SamplingParams {
  /** 0 selects the arg-max (greedy). */
  readonly temperature: number;
  /** 0 disables top-k. */
  readonly topK: number;
  /** 1 disables nucleus sampling. */
  readonly topP: number;
  /** 1 disables the penalty. */
  readonly repetitionPenalty: number;
}

export interface GenerateOptions {
  /** Text to continue; ignored when `inputIds` is given. */
  readonly prompt?: string;
  /** Pre-tokenized prompt (BOS is not added to it unless `addBos` is true). */
  readonly inputIds?: readonly number[];
  /** Tokens to generate at most; prompt + maxNewTokens must fit the context. Default: 256, or what fits. */
  readonly maxNewTokens?: number;
  /** 0 = greedy (default 0). */
  readonly temperature?: number;
  /** 0 = off (default). */
  readonly topK?: number;
  /** 1 = off (default). */
  readonly topP?: number;
  /** 1 = off (default). */
  readonly repetitionPenalty?: number;
  /** Seed of the sampler; a random one when omitted. */
  readonly seed?: number;
  /** Generation ends before the first occurrence of any of these strings. */
  readonly stop?: readonly string[];
  readonly signal?: AbortSignal;
  /** Prepend BOS to `prompt`; defaults to the tokenizer's add_bos_token (false for `inputIds`). */
  readonly addBos?: boolean;
  /** A JSON schema (parsed) the output must follow; only grammar-capable runtimes accept it. */
  readonly jsonSchema?: unknown;
  /** Context window of this request in tokens; only runtimes with resizable contexts accept it. */
  readonly contextSize?: number;
}

/** Options after defaults and validation. */
export interface ResolvedOptions extends SamplingParams {
  readonly maxNewTokens: number;
  readonly seed: number | undefined;
  readonly stop: readonly string[];
  readonly signal: AbortSignal | undefined;
}

export const DEFAULT_MAX_NEW_TOKENS = 256;
const MAX_STOP_STRINGS = 16;

function checkNumber(field: string, v: number, ok: (v: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) throw invalidArgument(field, `${rule}, got ${String(v)}`);
  return v;
}

/** Validates sampling options and the prompt length against the context; returns resolved values. */
export function resolveOptions(o: GenerateOptions, info: TextModelInfo, promptTokens: number): ResolvedOptions {
  const room = info.contextLength - promptTokens;
  if (o.maxNewTokens === undefined && room < 1) {
    throw invalidArgument('prompt', `is ${promptTokens} tokens, leaving no room in the context of ${info.contextLength} tokens`);
  }
  const maxNewTokens = checkNumber(
    'maxNewTokens', o.maxNewTokens ?? Math.min(DEFAULT_MAX_NEW_TOKENS, room), (v) => Number.isInteger(v) && v >= 1, 'must be a positive integer',
  );
  if (maxNewTokens > room) {
    throw invalidArgument(
      'maxNewTokens',
      `prompt (${promptTokens} tokens) + maxNewTokens (${maxNewTokens}) exceeds the context of ${info.contextLength} tokens`,
    );
  }
  const temperature = checkNumber('temperature', o.temperature ?? 0, (v) => v >= 0 && Number.isFinite(v), 'must be a finite number >= 0');
  const topK = checkNumber('topK', o.topK ?? 0, (v) => Number.isInteger(v) && v >= 0, 'must be an integer >= 0');
  const topP = checkNumber('topP', o.topP ?? 1, (v) => v > 0 && v <= 1, 'must be in (0, 1]');
  const repetitionPenalty = checkNumber('repetitionPenalty', o.repetitionPenalty ?? 1, (v) => v > 0 && Number.isFinite(v), 'must be a finite number > 0');
  const seed = o.seed === undefined ? undefined : checkNumber('seed', o.seed, (v) => Number.isSafeInteger(v) && v >= 0, 'must be a non-negative safe integer');
  const stop = o.stop ?? [];
  if (!Array.isArray(stop) || stop.length > MAX_STOP_STRINGS) throw invalidArgument('stop', `must be a list of at most ${MAX_STOP_STRINGS} strings`);
  stop.forEach((s, i) => {
    if (typeof s !== 'string' || s.length === 0) throw invalidArgument(`stop[${i}]`, 'must be a non-empty string');
  });
  return { maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stop, signal: o.signal };
}

/** Checks pre-tokenized input ids against the vocabulary. */
export function checkInputIds(ids: readonly number[], vocabSize: number): void {
  if (!Array.isArray(ids)) throw invalidArgument('inputIds', 'must be a list of token ids');
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw invalidArgument(`inputIds[${i}]`, `must be an id in [0, ${vocabSize}), got ${id}`);
  });
}
