// POST /v1/chat/completions and POST /v1/completions on gRPC Chat / Generate: non-streaming (one
// object with usage and finish_reason) or streamed as Server-Sent Events ending with [DONE]; a
// client that goes away cancels generation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import type { GenerateResponse, SamplingOptions } from '@tabagent/protos/v1/text';
import { badParam, toHttpError } from '../core/errors.js';
import type { LoopbackClients } from '../core/loopback.js';
import { EventStream } from '../core/sse.js';

const TIMEOUT_MS = 300_000;

interface GenBody {
  model: string; messages?: unknown; prompt?: unknown; max_tokens?: number; max_completion_tokens?: number;
  temperature?: number; top_p?: number; seed?: number; stop?: string | string[]; n?: number; stream?: boolean;
  stream_options?: { include_usage?: boolean }; logprobs?: unknown; top_logprobs?: unknown;
}

/** Sampling options from the OpenAI fields; refuses what the runtime cannot give. */
function sampling(b: GenBody): SamplingOptions {
  if (b.n !== undefined && b.n !== 1) throw badParam('n', 'only n = 1 is supported');
  if (b.logprobs !== undefined && b.logprobs !== false && b.logprobs !== null) throw badParam('logprobs', 'the runtime does not report log probabilities');
  if (b.top_logprobs !== undefined && b.top_logprobs !== null) throw badParam('top_logprobs', 'the runtime does not report log probabilities');
  const stop = b.stop === undefined ? [] : typeof b.stop === 'string' ? [b.stop] : b.stop;
  return {
    maxNewTokens: b.max_completion_tokens ?? b.max_tokens ?? 0, temperature: b.temperature ?? 1, topK: 0,
    topP: b.top_p, repetitionPenalty: undefined, seed: b.seed, stop,
  };
}

function messagesOf(raw: unknown): Array<{ role: string; content: string }> {
  if (!Array.isArray(raw) || raw.length === 0) throw badParam('messages', 'must be a non-empty array');
  return raw.map((m: { role?: unknown; content?: unknown }) => {
    if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant') throw badParam('messages', 'role must be system, user or assistant');
    const c = m.content;
    const content = typeof c === 'string' ? c
      : Array.isArray(c) && c.every((p: { type?: unknown }) => p.type === 'text') ? c.map((p: { text?: string }) => p.text ?? '').join('') : undefined;
    if (content === undefined) throw badParam('messages', 'content must be text');
    return { role: m.role, content };
  });
}

const finish = (r: string): string => (r === 'length' ? 'length' : 'stop');

/** Runs one generation: chat or completion. */
async function generate(lb: LoopbackClients, req: FastifyRequest, reply: FastifyReply, kind: 'chat' | 'text'): Promise<unknown> {
  const b = req.body as GenBody;
  const opts = sampling(b);
  const open = (): ClientReadableStream<GenerateResponse> => {
    const meta: Metadata = lb.metadata();
    const co = { deadline: new Date(Date.now() + TIMEOUT_MS) };
    if (kind === 'chat') return lb.text.chat({ model: b.model, messages: messagesOf(b.messages), sampling: opts }, meta, co);
    if (typeof b.prompt !== 'string') throw badParam('prompt', 'must be a string');
    return lb.text.generate({ model: b.model, prompt: b.prompt, sampling: opts, addBos: undefined }, meta, co);
  };
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${req.id}`;
  const created = Math.floor(Date.now() / 1000);
  const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
  const choice = (text: string, reason: string | null, streaming: boolean): Record<string, unknown> => kind === 'chat'
    ? { index: 0, [streaming ? 'delta' : 'message']: streaming ? (text ? { content: text } : {}) : { role: 'assistant', content: text }, logprobs: null, finish_reason: reason }
    : { index: 0, text, logprobs: null, finish_reason: reason };
  const stream = open();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) stream.cancel(); });
  if (b.stream !== true) {
    let text = '';
    const done = await new Promise<GenerateResponse['done']>((resolve, reject) => {
      let stats: GenerateResponse['done'];
      stream.on('data', (r: GenerateResponse) => { if (r.delta) text += r.delta.text; else if (r.done) stats = r.done; });
      stream.on('error', reject);
      stream.on('end', () => resolve(stats));
    });
    const usage = { prompt_tokens: done?.promptTokens ?? 0, completion_tokens: done?.completionTokens ?? 0, total_tokens: (done?.promptTokens ?? 0) + (done?.completionTokens ?? 0) };
    return { id, object, created, model: b.model, choices: [choice(text, finish(done?.finishReason ?? 'stop'), false)], usage };
  }
  const sse = new EventStream(reply);
  const chunk = (choices: unknown[], usage?: unknown): Record<string, unknown> => ({
    id, object: kind === 'chat' ? 'chat.completion.chunk' : 'text_completion', created, model: b.model, choices, ...(usage ? { usage } : {}),
  });
  if (kind === 'chat') sse.send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
  stream.on('data', (r: GenerateResponse) => {
    if (r.delta) sse.send(chunk([choice(r.delta.text, null, true)]));
    else if (r.done) {
      sse.send(chunk([choice('', finish(r.done.finishReason), true)]));
      if (b.stream_options?.include_usage === true) {
        sse.send(chunk([], { prompt_tokens: r.done.promptTokens, completion_tokens: r.done.completionTokens, total_tokens: r.done.promptTokens + r.done.completionTokens }));
      }
    }
  });
  stream.on('error', (e) => {
    if (sse.closed) return;
    sse.send(toHttpError(e).body);
    sse.done();
  });
  stream.on('end', () => sse.done());
  return reply;
}

/** Registers the two generation routes. */
export function chatRoutes(app: FastifyInstance, lb: LoopbackClients): void {
  const body = (field: string): Record<string, unknown> => ({ type: 'object', required: ['model', field], properties: { model: { type: 'string' }, stream: { type: 'boolean' } } });
  app.post('/v1/chat/completions', { schema: { body: body('messages') } }, (req, reply) => generate(lb, req, reply, 'chat'));
  app.post('/v1/completions', { schema: { body: body('prompt') } }, (req, reply) => generate(lb, req, reply, 'text'));
}
