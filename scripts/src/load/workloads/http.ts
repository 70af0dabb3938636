// HTTP workloads: streamed chat completions (Server-Sent Events, timed per chunk like vLLM's serving
// benchmark) and embeddings of one sentence, on a keep-alive node:http client (or Node's fetch).
import type { Sample, Workload } from '../types.js';
import { KeepAliveClient, type HttpAnswer } from './http-client.js';
import { answered, fetchFailure, httpFailure } from './outcome.js';
import { CHAT_PROMPT, replyProblem, sentence, TokenClock, type ChatReply } from './text.js';

/** POST of a JSON body with a timeout. */
export const post = (url: string, body: unknown, timeoutMs: number): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });

/** One chunk of a streamed chat completion (the fields read here). */
interface ChatChunk {
  choices?: Array<{ delta?: { content?: string }; finish_reason?: string | null }>;
  usage?: { completion_tokens?: number } | null;
  error?: { message?: string; code?: string };
}

/** Reads an SSE body chunk by chunk, calling `onEvent` with each `data:` payload until `[DONE]`. */
class SseReader {
  readonly #decoder = new TextDecoder();
  readonly #onEvent: (data: string) => void;
  #buffered = '';
  /** Whether `data: [DONE]` came. */
  done = false;

  constructor(onEvent: (data: string) => void) {
    this.#onEvent = onEvent;
  }

  push(bytes: Uint8Array): void {
    if (this.done) return;
    this.#buffered += this.#decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = this.#buffered.indexOf('\n\n')) >= 0) {
      const event = this.#buffered.slice(0, end);
      this.#buffered = this.#buffered.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') {
          this.done = true;
          return;
        }
        this.#onEvent(data);
      }
    }
  }
}

/** How an HTTP workload sends its requests: a keep-alive node:http Agent, or Node's global fetch. */
export type HttpClientKind = 'keepalive' | 'fetch';

/** A JSON POSTer of one kind of client, for `concurrency` callers: whole answers, or bodies chunk by chunk. */
interface Poster {
  post(path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer>;
  stream(path: string, body: unknown, timeoutMs: number, onData: (chunk: Uint8Array) => void): Promise<Omit<HttpAnswer, 'text'> & { error?: string }>;
  close(): void;
}

function jsonPoster(kind: HttpClientKind, baseUrl: string, concurrency: number): Poster {
  if (kind === 'keepalive') {
    const client = new KeepAliveClient(baseUrl, concurrency);
    return {
      post: (path, body, timeoutMs) => client.postJson(path, body, timeoutMs),
      stream: async (path, body, timeoutMs, onData) => {
        const errors: Buffer[] = [];
        let ok = true;
        const head = await client.postJsonStream(path, body, timeoutMs, (c) => (ok ? onData(c) : errors.push(c)));
        ok = head.status === 200;
        return ok ? head : { ...head, error: Buffer.concat(errors).toString('utf8') };
      },
      close: () => client.close(),
    };
  }
  return {
    post: async (path, body, timeoutMs) => {
      const res = await post(`${baseUrl}${path}`, body, timeoutMs);
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    stream: async (path, body, timeoutMs, onData) => {
      const res = await post(`${baseUrl}${path}`, body, timeoutMs);
      if (res.status !== 200) return { status: res.status, headers: res.headers, error: await res.text() };
      for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) onData(bytes);
      return { status: res.status, headers: res.headers };
    },
    close: () => undefined,
  };
}

/** Opens a workload's callers on one poster. */
function onPoster(kind: HttpClientKind, baseUrl: string, make: (p: Poster) => () => Promise<Sample>) {
  return (concurrency: number): Promise<{ call: () => Promise<Sample>; close: () => Promise<void> }> => {
    const poster = jsonPoster(kind, baseUrl, concurrency);
    return Promise.resolve({ call: make(poster), close: () => Promise.resolve(poster.close()) });
  };
}

const clientName = (kind: HttpClientKind): string => (kind === 'keepalive' ? 'node:http keep-alive Agent' : 'fetch');

/**
 * POST /v1/chat/completions with stream: true; every stream must end with usage and [DONE], and its
 * text and token count must equal `want` when given.
 */
export function httpChatWorkload(baseUrl: string, model: string, maxTokens: number, timeoutMs: number, want?: ChatReply, client: HttpClientKind = 'keepalive'): Workload {
  const body = { model, messages: [{ role: 'user', content: CHAT_PROMPT }], stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, temperature: 0 };
  const make = (poster: Poster) => async (): Promise<Sample> => {
    const t0 = performance.now();
    try {
      const clock = new TokenClock(t0);
      let usage: number | undefined;
      let error: string | undefined;
      let text = '';
      const sse = new SseReader((data) => {
        const c = JSON.parse(data) as ChatChunk;
        if (c.error) error = `${c.error.code ?? ''} ${c.error.message ?? ''}`;
        const content = c.choices?.[0]?.delta?.content;
        if (content) {
          text += content;
          clock.tick(0);
        }
        if (c.usage?.completion_tokens !== undefined) usage = c.usage.completion_tokens;
      });
      const res = await poster.stream('/v1/chat/completions', body, timeoutMs, (bytes) => sse.push(bytes));
      if (res.status !== 200) return httpFailure(t0, res, res.error ?? '');
      clock.tokens = usage ?? 0;
      if (error !== undefined) return { startMs: t0, endMs: performance.now(), ok: false, code: 'SSE_ERROR', message: error };
      const problem = !sse.done || usage === undefined || usage < 1 || usage > maxTokens
        ? `stream ended (done ${sse.done}) with usage ${usage}`
        : want && replyProblem({ text, tokens: usage }, want);
      return answered(t0, problem, clock.fields());
    } catch (err) {
      return fetchFailure(t0, err);
    }
  };
  return {
    name: 'http-chat', describe: `POST /v1/chat/completions stream, ≤${maxTokens} tokens (${clientName(client)})`, replaySafe: false,
    open: onPoster(client, baseUrl, make),
    close: () => Promise.resolve(),
  };
}

/** POST /v1/chat/completions without streaming; the text and token count must equal `want`. */
export function httpChatOnceWorkload(baseUrl: string, model: string, maxTokens: number, want: ChatReply, timeoutMs: number, client: HttpClientKind = 'keepalive'): Workload {
  const body = { model, messages: [{ role: 'user', content: CHAT_PROMPT }], stream: false, max_tokens: maxTokens, temperature: 0 };
  const make = (poster: Poster) => async (): Promise<Sample> => {
    const t0 = performance.now();
    try {
      const res = await poster.post('/v1/chat/completions', body, timeoutMs);
      if (res.status !== 200) return httpFailure(t0, res, res.text);
      const c = JSON.parse(res.text) as { choices?: Array<{ message?: { content?: string | null } }>; usage?: { completion_tokens?: number } };
      const tokens = c.usage?.completion_tokens ?? -1;
      return answered(t0, replyProblem({ text: c.choices?.[0]?.message?.content ?? '', tokens }, want), { tokens });
    } catch (err) {
      return fetchFailure(t0, err);
    }
  };
  return {
    name: 'http-chat-once', describe: `POST /v1/chat/completions, ≤${maxTokens} tokens (${clientName(client)})`, replaySafe: false,
    open: onPoster(client, baseUrl, make),
    close: () => Promise.resolve(),
  };
}

/** POST /v1/embeddings of one sentence (kept-alive connections by default); every answer must be one vector of `dimensions`. */
export function httpEmbedWorkload(baseUrl: string, model: string, dimensions: number, timeoutMs: number, client: HttpClientKind = 'keepalive'): Workload {
  let n = 0;
  const make = (poster: Poster) => async (): Promise<Sample> => {
    const t0 = performance.now();
    try {
      const res = await poster.post('/v1/embeddings', { model, input: sentence(n++) }, timeoutMs);
      if (res.status !== 200) return httpFailure(t0, res, res.text);
      const data = (JSON.parse(res.text) as { data?: Array<{ embedding?: number[] }> }).data ?? [];
      return answered(t0, data.length === 1 && data[0]?.embedding?.length === dimensions ? undefined : `expected 1 vector of ${dimensions}`);
    } catch (err) {
      return fetchFailure(t0, err);
    }
  };
  return {
    name: 'http-embed', describe: `POST /v1/embeddings of one sentence (${clientName(client)})`, replaySafe: true,
    open: onPoster(client, baseUrl, make),
    close: () => Promise.resolve(),
  };
}
