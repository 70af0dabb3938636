// Chat workloads whose every answer must equal a reference reply (greedy sampling, a fixed maximum of
// new tokens): gRPC Text.Chat (a stream of deltas); the HTTP ones are in http.ts.
// A route that answers fast but wrong then counts as WRONG_ANSWER instead of looking fast.
import { credentials, Metadata } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { TextClient, type ChatRequest, type GenerateResponse } from '@tabagent/protos/v1/text';
import type { Sample, Workload } from '../types.js';
import { answered, grpcFailure, within } from './outcome.js';
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
