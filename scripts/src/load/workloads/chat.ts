// Chat workloads whose every answer must equal a reference reply (greedy sampling, a fixed maximum of
// new tokens): gRPC Text.Chat (a stream of deltas) and POST /v1/chat/completions without streaming.
// A route that answers fast but wrong then counts as WRONG_ANSWER instead of looking fast.
import { credentials, Metadata } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { TextClient, type ChatRequest, type GenerateResponse } from '@tabagent/protos/v1/text';
import type { Sample, Workload } from '../types.js';
import { post } from './http.js';
import { answered, fetchFailure, grpcFailure, httpFailure, within } from './outcome.js';
import { CHAT_PROMPT, replyProblem, TokenClock, type ChatReply } from './text.js';

/** One gRPC Chat call: its reply and token timings (rejects with the gRPC error). */
export function grpcChat(client: TextClient, model: string, maxTokens: number, deadlineMs: number, clock?: TokenClock): Promise<ChatReply> {
  const req: ChatRequest = { model, messages: [{ role: 'user', content: CHAT_PROMPT }], sampling: { maxNewTokens: maxTokens, temperature: 0, topK: 0, stop: [] } };
  return new Promise((resolve, reject) => {
    let text = '';
    let tokens = 0;
    let reported: number | undefined;
    const s = client.chat(req, new Metadata(), within(deadlineMs));
    s.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        text += r.delta.text;
        tokens += r.delta.tokenIds.length;
        clock?.tick(r.delta.tokenIds.length);
      }
      if (r.done) reported = r.done.completionTokens;
    });
    s.on('error', reject);
    s.on('end', () => resolve({ text, tokens: reported === tokens ? tokens : -1 }));
  });
}

/** Streaming gRPC Text.Chat; every reply must equal `want`. */
export function chatWorkload(address: string, model: string, maxTokens: number, want: ChatReply, deadlineMs: number): Workload {
  const client = new TextClient(address, credentials.createInsecure(), grpcChannelOptions());
  const call = async (): Promise<Sample> => {
    const t0 = performance.now();
    const clock = new TokenClock(t0);
    try {
      const got = await grpcChat(client, model, maxTokens, deadlineMs, clock);
      return answered(t0, replyProblem(got, want), clock.fields());
    } catch (err) {
      return grpcFailure(t0, err);
    }
  };
  return {
    name: 'grpc-chat', describe: `Text.Chat stream, ≤${maxTokens} tokens`, replaySafe: false,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(client.close()),
  };
}

/** The fields of a non-streamed chat completion read here. */
interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>;
  usage?: { completion_tokens?: number };
}

/** POST /v1/chat/completions with stream: false; every reply must equal `want`. */
export function httpChatOnceWorkload(baseUrl: string, model: string, maxTokens: number, want: ChatReply, timeoutMs: number): Workload {
  const body = { model, messages: [{ role: 'user', content: CHAT_PROMPT }], stream: false, max_tokens: maxTokens, temperature: 0 };
  const call = async (): Promise<Sample> => {
    const t0 = performance.now();
    try {
      const res = await post(`${baseUrl}/v1/chat/completions`, body, timeoutMs);
      const text = await res.text();
      if (res.status !== 200) return httpFailure(t0, res, text);
      const c = JSON.parse(text) as ChatCompletion;
      const tokens = c.usage?.completion_tokens ?? -1;
      return answered(t0, replyProblem({ text: c.choices?.[0]?.message?.content ?? '', tokens }, want), { tokens });
    } catch (err) {
      return fetchFailure(t0, err);
    }
  };
  return {
    name: 'http-chat-once', describe: `POST /v1/chat/completions, ≤${maxTokens} tokens`, replaySafe: false,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(),
  };
}
