// Serves Generate and Chat calls: public request → engine options, engine events → streamed
// GenerateResponse messages with back-pressure, client cancellation → AbortSignal.

import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ChatRequest, GenerateRequest, GenerateResponse, GenerateStats, SamplingOptions } from '@tabagent/protos/v1/text';
import type { ChatMessage } from './chat-messages.js';
import { DeltaWriter } from './delta-writer.js';
import { toTabagentError } from '../errors/engine-errors.js';
import type { TextEngine } from './engine.js';
import { invalidArgument } from './errors.js';
import type { GenerationEvent, GenerationSummary } from './events.js';
import { parseTools } from './tools.js';
import type { GenerateOptions } from './options.js';

/** Engine options from the public sampling message (proto defaults: temperature 1, top_p 1, penalty 1). */
export function samplingOptions(s: SamplingOptions | undefined, signal: AbortSignal): Omit<GenerateOptions, 'prompt'> {
  return {
    ...(s?.maxNewTokens ? { maxNewTokens: s.maxNewTokens } : {}),
    temperature: s?.temperature ?? 1,
    topK: s?.topK ?? 0,
    topP: s?.topP ?? 1,
    repetitionPenalty: s?.repetitionPenalty ?? 1,
    ...(s?.seed !== undefined ? { seed: s.seed } : {}),
    stop: s?.stop ?? [],
    ...(s?.contextSize ? { contextSize: s.contextSize } : {}),
    ...(s?.jsonSchema ? { jsonSchema: parseSchema(s.jsonSchema) } : {}),
    signal,
  };
}

/** The JSON schema of a request, parsed; INVALID_ARGUMENT naming the field when it is not a JSON object. */
function parseSchema(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidArgument('jsonSchema', `is not valid JSON (${(err as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidArgument('jsonSchema', 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** Public statistics; tokens per second counts the tokens after the first over the time after the first. */
export function toStats(f: GenerationSummary): GenerateStats {
  const decodeMs = f.durationMs - f.timeToFirstTokenMs;
  const after = f.completionTokens - 1;
  return {
    promptTokens: f.promptTokens,
    completionTokens: f.completionTokens,
    timeToFirstTokenMs: f.timeToFirstTokenMs,
    tokensPerSecond: after > 0 && decodeMs > 0 ? after / (decodeMs / 1000) : 0,
    finishReason: f.finishReason,
    ...(f.toolCalls ? { toolCalls: { calls: f.toolCalls.map((c) => ({ id: c.id, name: c.name, argumentsJson: c.argumentsJson })) } } : {}),
  };
}

/** An AbortSignal that fires when the client cancels or the deadline passes. */
export function callSignal(call: { cancelled: boolean; on(event: 'cancelled', fn: () => void): unknown }): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.on('cancelled', () => controller.abort());
  return controller.signal;
}

/** Streams engine events to the call; returns the final summary (undefined when the client went away). */
export async function streamEvents(
  events: AsyncGenerator<GenerationEvent, void, undefined>, call: ServerWritableStream<unknown, GenerateResponse>,
): Promise<GenerationSummary | undefined> {
  const writer = new DeltaWriter(call);
  try {
    for await (const e of events) {
      if (e.type === 'final') {
        await writer.finish(toStats(e));
        return e;
      }
      // After a cancel, keep pulling so the engine sees the aborted signal and ends within a token.
      writer.push(e.delta, e.tokenIds);
    }
  } catch (err) {
    throw toTabagentError(err);
  }
  return undefined;
}

/** Serves a Generate call on a loaded model. */
export async function serveGenerate(m: TextEngine, req: GenerateRequest, call: ServerWritableStream<GenerateRequest, GenerateResponse>): Promise<GenerationSummary | undefined> {
  const signal = callSignal(call);
  const events = m.generate({ ...samplingOptions(req.sampling, signal), prompt: req.prompt, ...(req.addBos !== undefined ? { addBos: req.addBos } : {}) });
  return streamEvents(events, call as ServerWritableStream<unknown, GenerateResponse>);
}

/** Serves a Chat call on a loaded model (roles are checked by the engine, naming messages[i].role). */
export async function serveChat(m: TextEngine, req: ChatRequest, call: ServerWritableStream<ChatRequest, GenerateResponse>): Promise<GenerationSummary | undefined> {
  const signal = callSignal(call);
  const messages = req.messages.map((x) => ({ role: x.role, content: x.content }) as ChatMessage);
  const tools = req.tools ? parseTools(req.tools.functions, req.tools.choice) : undefined;
  const events = m.chat(messages, samplingOptions(req.sampling, signal), tools);
  return streamEvents(events, call as ServerWritableStream<unknown, GenerateResponse>);
}
