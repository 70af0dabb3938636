// Loads a causal language model (tokenizer + ONNX decoder) through transformers.js from a readFile callback.

import { AutoModelForCausalLM, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { Logger } from 'pino';
import { TextError, invalidArgument } from '../errors.js';
import type { TextModelInfo } from '../model-info.js';
import { fileRouter, type ReadFile } from '../../runtime/transformers-files.js';

/** A loaded model. `dispose()` is idempotent; calls on a disposed model throw TEXT_MODEL_DISPOSED. */
export interface TextModel {
  readonly id: string;
  readonly info: TextModelInfo;
  readonly tokenizer: PreTrainedTokenizer;
  readonly model: PreTrainedModel;
  readonly disposed: boolean;
  dispose(): Promise<void>;
}

export interface LoadTextModelOptions {
  /** Catalog id, used in logs and errors. */
  readonly id: string;
  readonly readFile: ReadFile;
  /** onnxruntime execution provider; defaults to `cpu`. */
  readonly device?: 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
  /** Intra-op threads of the ONNX session (onnxruntime's default when omitted). */
  readonly threads?: number;
  /** Weight precision variant of the ONNX file; defaults to the model config's choice (fp32 here). */
  readonly dtype?: 'fp32' | 'fp16' | 'q8' | 'q4';
  readonly logger?: Logger;
}

const asIds = (v: unknown): number[] =>
  (Array.isArray(v) ? v : [v]).filter((x): x is number => typeof x === 'number' && Number.isInteger(x));

function describe(id: string, tokenizer: PreTrainedTokenizer, model: PreTrainedModel): TextModelInfo {
  const config = model.config as unknown as Record<string, unknown>;
  const generation = (model as unknown as { generation_config?: Record<string, unknown> }).generation_config ?? {};
  const vocabSize = typeof config.vocab_size === 'number' ? config.vocab_size : NaN;
  if (!Number.isInteger(vocabSize) || vocabSize <= 0) {
    throw new TextError('TEXT_MODEL_LOAD_FAILED', `text model ${id}: config.json has no vocab_size`, 'config.vocab_size');
  }
  const maxPositions = config.max_position_embeddings ?? config.n_positions ?? config.max_seq_len;
  const contextLength = typeof maxPositions === 'number' ? maxPositions : Math.min(tokenizer.model_max_length, 2048);
  const bos = tokenizer.bos_token_id ?? asIds(config.bos_token_id)[0];
  const eos = new Set([...asIds(config.eos_token_id), ...asIds(generation.eos_token_id), ...asIds(tokenizer.eos_token_id)]);
  const template = typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : undefined;
  return Object.freeze({
    vocabSize,
    contextLength,
    bosTokenId: bos ?? undefined,
    eosTokenIds: Object.freeze([...eos]),
    addBosByDefault: bos !== undefined && bos !== null && tokenizer.add_bos_token !== false,
    chatTemplate: template,
  });
}

/** Loads the tokenizer and decoder; every file is read through `readFile`. */
export async function loadTextModel(opts: LoadTextModelOptions): Promise<TextModel> {
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1 && opts.threads <= 256)) {
    throw invalidArgument('threads', `must be an integer from 1 to 256, got ${opts.threads}`);
  }
  const started = performance.now();
  const { modelId, release } = fileRouter().register(opts.readFile);
  let tokenizer: PreTrainedTokenizer;
  let model: PreTrainedModel;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(modelId);
    model = await AutoModelForCausalLM.from_pretrained(modelId, {
      device: opts.device ?? 'cpu',
      ...(opts.dtype ? { dtype: opts.dtype } : {}),
      session_options: opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {},
    });
  } catch (err) {
    throw new TextError('TEXT_MODEL_LOAD_FAILED', `loading text model ${opts.id} failed: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  } finally {
    release();
  }
  let info: TextModelInfo;
  try {
    info = describe(opts.id, tokenizer, model);
  } catch (err) {
    await model.dispose();
    throw err;
  }
  opts.logger?.info({ model: opts.id, ms: Math.round(performance.now() - started), ...info, chatTemplate: !!info.chatTemplate }, 'text model loaded');
  let disposed = false;
  return {
    id: opts.id,
    info,
    tokenizer,
    model,
    get disposed() {
      return disposed;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await model.dispose();
      opts.logger?.info({ model: opts.id }, 'text model disposed');
    },
  };
}

/** Throws TEXT_MODEL_DISPOSED when the model can no longer be used. */
export function assertUsable(m: TextModel): void {
  if (m.disposed) throw new TextError('TEXT_MODEL_DISPOSED', `text model ${m.id} has been disposed`);
}
