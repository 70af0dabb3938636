// Maps errors of the language engines (text, embeddings, speech) to TabagentErrors, renaming engine
// option names to the public request fields (e.g. maxNewTokens → sampling.max_new_tokens).

import { TabagentError, invalidArgument } from '@tabagent/common';

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
  inputIds: 'prompt',
};

/** The public name of an engine field, keeping any index suffix (stop[2] → sampling.stop[2]). */
export function publicField(field: string): string {
  const m = /^([A-Za-z_]+)(.*)$/.exec(field);
  if (!m) return field;
  const renamed = FIELD_NAMES[m[1]!];
  return renamed ? renamed + m[2]! : field;
}

/** Converts an engine error to a TabagentError (other values are returned unchanged). */
export function toTabagentError(err: unknown): unknown {
  if (err instanceof TabagentError) return err;
  const e = err as { code?: unknown; field?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (code.endsWith('_INVALID_ARGUMENT') && typeof e?.field === 'string') {
    const problem = message.startsWith(`${e.field}: `) ? message.slice(e.field.length + 2) : message;
    return invalidArgument(publicField(e.field), problem);
  }
  if (code.endsWith('_MODEL_LOAD_FAILED')) return new TabagentError('TA_ERR_MODEL_LOAD_FAILED', message, { cause: err });
  if (code.endsWith('_MODEL_DISPOSED')) return new TabagentError('TA_ERR_MODEL_NOT_LOADED', message, { cause: err });
  return err;
}

/** Awaits `p`, converting engine errors. */
export async function mapEngineErrors<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw toTabagentError(err);
  }
}
