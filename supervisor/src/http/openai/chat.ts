// POST /v1/chat/completions and POST /v1/completions on the public Text Chat / Generate handlers,
// called in process (model routing, queues, drain and replay as for gRPC, without a loopback hop):
// non-streaming (one object with usage and finish_reason) or streamed as Server-Sent Events ending
// with [DONE]. The stream's headers wait for the first message, so a refusal before any token
// (unknown model, bad option) is a plain HTTP error with its status; a client that goes away cancels
// generation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { ChatRequest, GenerateRequest, GenerateResponse, type GenerateStats } from '@tabagent/protos/v1/text';
import { badParam, toHttpError } from '../core/errors.js';
import type { StreamInvoker } from '../core/in-process.js';
import { EventStream } from '../core/sse.js';
import { generationSchema, messagesOf, samplingOf, toolsOf, type GenerationBody } from './generation-body.js';
import { generationResponse } from './response-schemas.js';

const TIMEOUT_MS = 300_000;

type Kind = 'chat' | 'text';

const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The method and serialized request of one generation. */
function request(b: GenerationBody, kind: Kind): { method: string; bytes: Buffer } {
  const sampling = samplingOf(b);
  if (kind === 'chat') {
    const tools = toolsOf(b);
    return { method: 'chat', bytes: bytes(ChatRequest.encode(ChatRequest.fromPartial({ model: b.model, messages: messagesOf(b.messages), sampling, ...(tools ? { tools } : {}) })).finish()) };
  }
  if (typeof b.prompt !== 'string') throw badParam('prompt', 'must be a string');
  return { method: 'generate', bytes: bytes(GenerateRequest.encode(GenerateRequest.fromPartial({ model: b.model, prompt: b.prompt, sampling })).finish()) };
}

/** A generation's decoded messages. */
interface Messages {
  next(): Promise<IteratorResult<GenerateResponse>>;
}

const finishReason = (r: string): string => (r === 'length' || r === 'tool_calls' ? r : 'stop');

/** OpenAI's tool_calls of a reply (streamed chunks carry an index). */
const toolCallsOf = (d: GenerateStats | undefined, indexed: boolean): Record<string, unknown>[] | undefined => {
  const calls = d?.toolCalls?.calls ?? [];
  if (calls.length === 0) return undefined;
  return calls.map((c, index) => ({ ...(indexed ? { index } : {}), id: c.id, type: 'function', function: { name: c.name, arguments: c.argumentsJson } }));
};

const usageOf = (d: GenerateStats | undefined): Record<string, number> => {
  const prompt = d?.promptTokens ?? 0;
  const completion = d?.completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
};

/** The OpenAI objects of one request's answer. */
class Shapes {
  readonly #kind: Kind;
  readonly #id: string;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #model: string;

  constructor(kind: Kind, requestId: string, model: string) {
    this.#kind = kind;
    this.#id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${requestId}`;
    this.#model = model;
  }

  #head(object: string): Record<string, unknown> {
    return { id: this.#id, object, created: this.#created, model: this.#model };
  }

  /** The non-streamed answer. */
  completion(text: string, done: GenerateStats | undefined): Record<string, unknown> {
    const reason = finishReason(done?.finishReason ?? 'stop');
    const calls = toolCallsOf(done, false);
    const message = calls ? { role: 'assistant', content: null, refusal: null, tool_calls: calls } : { role: 'assistant', content: text, refusal: null };
    const choice = this.#kind === 'chat'
      ? { index: 0, message, logprobs: null, finish_reason: reason }
      : { index: 0, text, logprobs: null, finish_reason: reason };
    return { ...this.#head(this.#kind === 'chat' ? 'chat.completion' : 'text_completion'), choices: [choice], usage: usageOf(done) };
  }

  /** One streamed chunk; `usage` is null on every chunk but the last when usage is asked for. */
  chunk(delta: Record<string, unknown> | null, reason: string | null, usage?: Record<string, number> | null): Record<string, unknown> {
    const choice = this.#kind === 'chat'
      ? { index: 0, delta: delta ?? {}, logprobs: null, finish_reason: reason }
      : { index: 0, text: typeof delta?.['content'] === 'string' ? delta['content'] : '', logprobs: null, finish_reason: reason };
    return {
      ...this.#head(this.#kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'),
      choices: delta === null && reason === null ? [] : [choice],
      ...(usage === undefined ? {} : { usage }),
    };
  }
}

/** Whole-answer retries after a lost child (as the gRPC side retries unary calls). */
const CHILD_LOSS_RETRIES = 2;

/** Whether a failed call lost its ML child (the gRPC side could not retry it). */
function lostChild(err: unknown): boolean {
  const code = (err as { metadata?: { get(k: string): unknown[] } } | null)?.metadata?.get(ERROR_CODE_KEY)[0];
  return code === 'TA_ERR_CHILD_UNAVAILABLE';
}

/** Opens a stream, cancelled when the client goes away, and reads its first message (a refusal throws). */
async function start(text: StreamInvoker, reply: FastifyReply, b: GenerationBody, kind: Kind): Promise<{ messages: Messages; next: IteratorResult<GenerateResponse> }> {
  const { method, bytes: req } = request(b, kind);
  const abort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) abort.abort(); });
  const reader = text(method, req, new Date(Date.now() + TIMEOUT_MS), abort.signal);
  const messages: Messages = {
    next: async () => {
      const r = await reader.next();
      return r.done ? { done: true, value: undefined } : { done: false, value: GenerateResponse.decode(r.value) };
    },
  };
  return { messages, next: await messages.next() };
}

/**
 * A non-streamed answer: nothing reaches the client before the end, so a generation cut by a lost
 * child is run again from the start (up to twice) instead of failing.
 */
async function whole(text: StreamInvoker, reply: FastifyReply, b: GenerationBody, kind: Kind, retries = CHILD_LOSS_RETRIES): Promise<{ text: string; done: GenerateStats | undefined }> {
  try {
    const opened = await start(text, reply, b, kind);
    const messages = opened.messages;
    let next = opened.next;
    let out = '';
    let done: GenerateStats | undefined;
    for (; !next.done; next = await messages.next()) {
      if (next.value.delta) out += next.value.delta.text;
      else if (next.value.done) done = next.value.done;
    }
    return { text: out, done };
  } catch (err) {
    if (retries > 0 && lostChild(err) && !reply.raw.destroyed) {
      reply.log.warn({ reqId: reply.request.id, err: (err as Error).message }, 'generation lost its ML child; running it again');
      return whole(text, reply, b, kind, retries - 1);
    }
    throw err;
  }
}

/** Runs one generation: chat or completion. */
async function generate(text: StreamInvoker, req: FastifyRequest, reply: FastifyReply, kind: Kind): Promise<unknown> {
  const b = req.body as GenerationBody;
  const shapes = new Shapes(kind, req.id, b.model);
  if (b.stream !== true) {
    const answer = await whole(text, reply, b, kind);
    return shapes.completion(answer.text, answer.done);
  }
  // Throws (and so answers with the error's status) when the call fails before its first message.
  const opened = await start(text, reply, b, kind);
  const messages = opened.messages;
  let next = opened.next;
  const usage = b.stream_options?.include_usage === true ? null : undefined;
  const sse = new EventStream(reply);
  if (kind === 'chat') sse.send(shapes.chunk({ role: 'assistant', content: '' }, null, usage));
  try {
    for (; !next.done; next = await messages.next()) {
      const r = next.value;
      if (r.delta) sse.send(shapes.chunk({ content: r.delta.text }, null, usage));
      else if (r.done) {
        const calls = toolCallsOf(r.done, true);
        if (calls) sse.send(shapes.chunk({ tool_calls: calls }, null, usage));
        sse.send(shapes.chunk(null, finishReason(r.done.finishReason), usage));
        if (usage === null) sse.send(shapes.chunk(null, null, usageOf(r.done)));
      }
    }
  } catch (err) {
    // Headers are gone: the error travels as an event, the way OpenAI reports mid-stream failures.
    const e = toHttpError(err);
    req.log.warn({ reqId: req.id, status: e.status, code: e.body.error.code, err: e.body.error.message }, 'http stream failed');
    sse.send(e.body);
  }
  sse.done();
  return reply;
}

/** Registers the two generation routes. */
export function chatRoutes(app: FastifyInstance, text: StreamInvoker): void {
  app.post('/v1/chat/completions', { schema: { body: generationSchema('messages'), response: generationResponse('chat') } }, (req, reply) => generate(text, req, reply, 'chat'));
  app.post('/v1/completions', { schema: { body: generationSchema('prompt'), response: generationResponse('text') } }, (req, reply) => generate(text, req, reply, 'text'));
}
