// HTTP workloads: streamed chat completions with plain fetch (Server-Sent Events, timed per chunk
// like vLLM's serving benchmark) and embeddings of one sentence on a keep-alive node:http client.
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

/** Reads an SSE body, calling `onEvent` with each `data:` payload until `[DONE]`; returns whether it came. */
async function readEvents(res: Response, onEvent: (data: string) => void): Promise<boolean> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') return true;
        onEvent(data);
      }
    }
  }
  return false;
}

/**
 * POST /v1/chat/completions with stream: true; every stream must end with usage and [DONE], and its
 * text and token count must equal `want` when given.
 */
export function httpChatWorkload(baseUrl: string, model: string, maxTokens: number, timeoutMs: number, want?: ChatReply): Workload {
  const body = { model, messages: [{ role: 'user', content: CHAT_PROMPT }], stream: true, stream_options: { include_usage: true }, max_tokens: maxTokens, temperature: 0 };
  const call = async (): Promise<Sample> => {
    const t0 = performance.now();
    try {
      const res = await post(`${baseUrl}/v1/chat/completions`, body, timeoutMs);
      if (res.status !== 200) return httpFailure(t0, res, await res.text());
      const clock = new TokenClock(t0);
      let usage: number | undefined;
      let error: string | undefined;
      let text = '';
      const done = await readEvents(res, (data) => {
        const c = JSON.parse(data) as ChatChunk;
        if (c.error) error = `${c.error.code ?? ''} ${c.error.message ?? ''}`;
        const content = c.choices?.[0]?.delta?.content;
        if (content) {
          text += content;
          clock.tick(0);
        }
        if (c.usage?.completion_tokens !== undefined) usage = c.usage.completion_tokens;
      });
      clock.tokens = usage ?? 0;
      if (error !== undefined) return { startMs: t0, endMs: performance.now(), ok: false, code: 'SSE_ERROR', message: error };
      const problem = !done || usage === undefined || usage < 1 || usage > maxTokens
        ? `stream ended (done ${done}) with usage ${usage}`
        : want && replyProblem({ text, tokens: usage }, want);
      return answered(t0, problem, clock.fields());
    } catch (err) {
      return fetchFailure(t0, err);
    }
  };
  return {
    name: 'http-chat', describe: `POST /v1/chat/completions stream, ≤${maxTokens} tokens`, replaySafe: false,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(),
  };
}

/** How an HTTP workload sends its requests: a keep-alive node:http Agent, or Node's global fetch. */
export type HttpClientKind = 'keepalive' | 'fetch';

/** POSTs a JSON body to `baseUrl` + path with one kind of client, for `concurrency` callers. */
function jsonPoster(kind: HttpClientKind, baseUrl: string, concurrency: number): { post(path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer>; close(): void } {
  if (kind === 'keepalive') {
    const client = new KeepAliveClient(baseUrl, concurrency);
    return { post: (path, body, timeoutMs) => client.postJson(path, body, timeoutMs), close: () => client.close() };
  }
  return {
    post: async (path, body, timeoutMs) => {
      const res = await post(`${baseUrl}${path}`, body, timeoutMs);
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    close: () => undefined,
  };
}

/** POST /v1/embeddings of one sentence (kept-alive connections by default); every answer must be one vector of `dimensions`. */
export function httpEmbedWorkload(baseUrl: string, model: string, dimensions: number, timeoutMs: number, client: HttpClientKind = 'keepalive'): Workload {
  let n = 0;
  const open = (concurrency: number): Promise<{ call: () => Promise<Sample>; close: () => Promise<void> }> => {
    const poster = jsonPoster(client, baseUrl, concurrency);
    const call = async (): Promise<Sample> => {
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
    return Promise.resolve({ call, close: () => Promise.resolve(poster.close()) });
  };
  return {
    name: 'http-embed', describe: `POST /v1/embeddings of one sentence (${client === 'keepalive' ? 'node:http keep-alive Agent' : 'fetch'})`, replaySafe: true,
    open,
    close: () => Promise.resolve(),
  };
}
