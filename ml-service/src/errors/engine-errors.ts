// Maps engine errors to TabagentErrors by their code (one alias table, in common's error registry),
// renaming engine option names to the public request fields (e.g. maxNewTokens → sampling.max_new_tokens).

import { TabagentError, invalidArgument, resolveErrorCode } from '@tabagent/common';
import { EngineError } from './engine-error.js';

/** Engine option name → field of the public request. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  maxNewTokens: 'sampling.max_new_tokens',
  temperature: 'sampling.temperature',
  topK: 'sampling.top_k',
  topP: 'sampling.top_p',
  repetitionPenalty: 'sampling.repetition_penalty',
  seed: 'sampling.seed',
  stop: 'sampling.stop',
  addBos: 'add_bos',
  contextSize: 'sampling.context_size',
  jsonSchema: 'sampling.json_schema',
  toolChoice: 'tools.choice',
  inputIds: 'prompt',
};

/** The public name of an engine field, keeping any index suffix (stop[2] → sampling.stop[2]). */
export function publicField(field: string): string {
  const m = /^([A-Za-z_]+)(.*)$/.exec(field);
  if (!m) return field;
  const renamed = FIELD_NAMES[m[1]!];
  return renamed ? renamed + m[2]! : field;
}

/**
 * Converts an engine error (EngineError: text, embeddings, speech, vision, worker sessions) to a
 * TabagentError through the one alias table of engine codes (`resolveErrorCode`); invalid-argument
 * errors get the public field name. Other values, and codes the table does not know, are returned unchanged.
 */
export function toTabagentError(err: unknown): unknown {
  if (!(err instanceof EngineError)) return err;
  const code = resolveErrorCode(err.code);
  if (code === undefined) return err;
  if (code === 'TA_ERR_INVALID_ARGUMENT' && err.field !== undefined) {
    const problem = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
    return invalidArgument(publicField(err.field), problem);
  }
  return new TabagentError(code, err.message, { cause: err, ...(err.field !== undefined ? { field: err.field } : {}) });
}

/** Awaits `p`, converting engine errors. */
export async function mapEngineErrors<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw toTabagentError(err);
  }
}
