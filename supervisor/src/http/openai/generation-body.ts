// The request bodies of /v1/chat/completions and /v1/completions: their JSON schema (types and
// ranges, so a bad value is a 400 naming it before anything runs) and their translation to the
// gRPC request's sampling options and messages; options the runtime cannot honour are refused.
import type { ChatMessage, ChatTools, SamplingOptions } from '@tabagent/protos/v1/text';
import { badParam } from '../core/errors.js';

/** The fields of both generation bodies that the server reads. */
export interface GenerationBody {
  model: string;
  messages?: unknown;
  prompt?: unknown;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean | null } | null;
  logprobs?: unknown;
  top_logprobs?: unknown;
  best_of?: number | null;
  echo?: boolean | null;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: { name?: string; schema?: unknown } } | null;
  /** Context window of this request in tokens (Ollama's option name); llama.cpp models only. */
  num_ctx?: number | null;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[] | null;
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } } | null;
}

const nullable = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: [type, 'null'], ...extra });
/** The largest values the gRPC fields hold (uint32; uint64 as far as a JSON number is exact), so a larger one is a 400, not a failed encoding. */
const UINT32_MAX = 0xffffffff;
const SEED_MAX = Number.MAX_SAFE_INTEGER;

/** JSON schema of a generation body whose input is `field` ("messages" or "prompt"). */
export function generationSchema(field: 'messages' | 'prompt'): Record<string, unknown> {
  return {
    type: 'object',
    required: ['model', field],
    properties: {
      model: { type: 'string', minLength: 1 },
      messages: { type: 'array', minItems: 1, items: { type: 'object', required: ['role'] } },
      prompt: { type: 'string' },
      max_tokens: nullable('integer', { minimum: 1, maximum: UINT32_MAX }),
      max_completion_tokens: nullable('integer', { minimum: 1, maximum: UINT32_MAX }),
      temperature: nullable('number', { minimum: 0, maximum: 2 }),
      top_p: nullable('number', { exclusiveMinimum: 0, maximum: 1 }),
      seed: nullable('integer', { minimum: 0, maximum: SEED_MAX }),
      stop: { anyOf: [{ type: 'string' }, { type: 'array', maxItems: 16, items: { type: 'string', minLength: 1 } }, { type: 'null' }] },
      n: nullable('integer'),
      best_of: nullable('integer'),
      echo: nullable('boolean'),
      stream: nullable('boolean'),
      stream_options: { type: ['object', 'null'], properties: { include_usage: nullable('boolean') } },
      response_format: {
        type: ['object', 'null'],
        required: ['type'],
        properties: {
          type: { enum: ['text', 'json_object', 'json_schema'] },
          json_schema: { type: 'object', properties: { name: { type: 'string' }, schema: { type: 'object' }, strict: nullable('boolean') } },
        },
      },
      num_ctx: nullable('integer', { minimum: 1, maximum: UINT32_MAX }),
      tools: {
        type: ['array', 'null'],
        maxItems: 128,
        items: {
          type: 'object',
          required: ['type', 'function'],
          properties: {
            type: { const: 'function' },
            function: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, description: { type: 'string' }, parameters: { type: 'object' } } },
          },
        },
      },
      tool_choice: {
        anyOf: [
          { enum: ['auto', 'none', 'required'] },
          { type: 'object', required: ['type', 'function'], properties: { type: { const: 'function' }, function: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
          { type: 'null' },
        ],
      },
    },
  };
}

/** The numeric fields of a generation body. */
const NUMBER_FIELDS = ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'seed', 'n', 'best_of', 'num_ctx'] as const;

/** Sampling options from the OpenAI fields; refuses what the runtime cannot give. */
export function samplingOf(b: GenerationBody): SamplingOptions {
  // The schema's type coercion turns the strings "Infinity" and "-1e400" into ±Infinity past its ranges.
  for (const f of NUMBER_FIELDS) {
    const v = b[f];
    if (typeof v === 'number' && !Number.isFinite(v)) throw badParam(f, `must be a finite number, got ${v}`);
  }
  if (b.n != null && b.n !== 1) throw badParam('n', 'only n = 1 is supported');
  if (b.best_of != null && b.best_of !== 1) throw badParam('best_of', 'only best_of = 1 is supported');
  if (b.echo === true) throw badParam('echo', 'echoing the prompt is not supported');
  if (b.logprobs != null && b.logprobs !== false && b.logprobs !== 0) throw badParam('logprobs', 'the runtime does not report log probabilities');
  if (b.top_logprobs != null) throw badParam('top_logprobs', 'the runtime does not report log probabilities');
  const stop = b.stop == null ? [] : typeof b.stop === 'string' ? [b.stop] : b.stop;
  const jsonSchema = jsonSchemaOf(b.response_format);
  return {
    // 0 asks for the model's default length (OpenAI: as much as fits).
    maxNewTokens: b.max_completion_tokens ?? b.max_tokens ?? 0,
    temperature: b.temperature ?? 1,
    topK: 0,
    topP: b.top_p ?? undefined,
    repetitionPenalty: undefined,
    seed: b.seed ?? undefined,
    stop,
    ...(jsonSchema !== undefined ? { jsonSchema } : {}),
    ...(b.num_ctx != null ? { contextSize: b.num_ctx } : {}),
  };
}

/** OpenAI's `response_format` as the JSON text of sampling.json_schema (undefined for plain text). */
function jsonSchemaOf(f: GenerationBody['response_format']): string | undefined {
  if (f == null || f.type === 'text') return undefined;
  if (f.type === 'json_object') throw badParam('response_format', 'type "json_object" is not supported; send type "json_schema" with a schema');
  if (f.json_schema?.schema == null) throw badParam('response_format', 'type "json_schema" needs json_schema.schema');
  return JSON.stringify(f.json_schema.schema);
}

/** OpenAI's `tools` and `tool_choice` as the Chat request's tools (undefined when there are none). */
export function toolsOf(b: GenerationBody): ChatTools | undefined {
  if (b.tools == null || b.tools.length === 0) {
    if (b.tool_choice != null && b.tool_choice !== 'none' && b.tool_choice !== 'auto') throw badParam('tool_choice', 'names a tool but the request has no tools');
    return undefined;
  }
  const choice = b.tool_choice == null ? 'auto' : typeof b.tool_choice === 'string' ? b.tool_choice : b.tool_choice.function.name;
  return {
    functions: b.tools.map((t) => ({
      name: t.function.name, description: t.function.description ?? '', parametersJson: t.function.parameters ? JSON.stringify(t.function.parameters) : '',
    })),
    choice,
  };
}

/** Text of a message's content: a string, or an array of text parts. */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part?.type !== 'text' || typeof part.text !== 'string') return undefined;
    text += part.text;
  }
  return text;
}

/** The chat messages; "developer" (OpenAI's newer name for system) is sent as "system". */
export function messagesOf(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badParam('messages', 'must be a non-empty array');
  return raw.map((m: { role?: unknown; content?: unknown }, i) => {
    const role = m.role === 'developer' ? 'system' : m.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant') {
      throw badParam('messages', `messages[${i}].role must be system, developer, user or assistant, got ${String(m.role)}`);
    }
    const content = textOf(m.content);
    if (content === undefined) throw badParam('messages', `messages[${i}].content must be a string or an array of text parts`);
    return { role, content };
  });
}
