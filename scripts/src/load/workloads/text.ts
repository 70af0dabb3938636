// Text workloads over gRPC: Embed of one sentence (vectors of the model's dimensions) and Generate
// (greedy, a fixed number of new tokens) timed like vLLM's serving benchmark: time to first token,
// and the gaps between consecutive token messages (inter-token latency).
import { credentials, Metadata } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { Pooling, TextClient, type EmbedResponse, type GenerateRequest, type GenerateResponse } from '@tabagent/protos/v1/text';
import type { Sample, Workload } from '../types.js';
import { answered, grpcFailure, within } from './outcome.js';

/** The i-th sentence of a small generated corpus (no two consecutive requests are the same text). */
export function sentence(i: number): string {
  const who = ['The cat', 'A small dog', 'My neighbour', 'The old teacher', 'A tired pilot', 'The market', 'Our team', 'The river'];
  const did = ['walked past', 'looked at', 'talked about', 'forgot', 'painted', 'measured', 'sold', 'found'];
  return `${who[i % 8]} ${did[Math.floor(i / 8) % 8]} the garden on day ${i}.`;
}

/** Unary Embed of one sentence; every answer must be one vector of `dimensions`. */
export function embedWorkload(address: string, model: string, dimensions: number, deadlineMs: number): Workload {
  const client = new TextClient(address, credentials.createInsecure(), grpcChannelOptions());
  let n = 0;
  const call = (): Promise<Sample> => {
    const t0 = performance.now();
    return new Promise((resolve) => {
      client.embed({ model, texts: [sentence(n++)], pooling: Pooling.POOLING_UNSPECIFIED }, new Metadata(), within(deadlineMs), (err, r: EmbedResponse) => resolve(err
        ? grpcFailure(t0, err)
        : answered(t0, r.dimensions === dimensions && r.embeddings.length === 1 ? undefined : `expected 1 vector of ${dimensions}, got ${r.embeddings.length} of ${r.dimensions}`)));
    });
  };
  return {
    name: 'embed', describe: 'Embed of one sentence', replaySafe: true,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(client.close()),
  };
}

/** The reply every call must give. */
export interface ChatReply {
  readonly text: string;
  readonly tokens: number;
}

/** The one conversation every chat call sends. */
export const CHAT_PROMPT = 'Tell me a story.';

/** Why `got` is not `want`, or undefined when it is. */
export function replyProblem(got: ChatReply, want: ChatReply): string | undefined {
  if (got.tokens !== want.tokens) return `expected ${want.tokens} tokens, got ${got.tokens}`;
  return got.text === want.text ? undefined : `text differs from the reference reply: ${JSON.stringify(got.text.slice(0, 60))}`;
}

/** Collects token timings of one generation as its messages arrive. */
export class TokenClock {
  readonly #t0: number;
  #last = 0;
  ttftMs: number | undefined;
  readonly itlMs: number[] = [];
  tokens = 0;

  constructor(t0: number) {
    this.#t0 = t0;
  }

  /** A message with `tokens` new tokens arrived. */
  tick(tokens: number): void {
    const now = performance.now();
    if (this.ttftMs === undefined) this.ttftMs = now - this.#t0;
    else this.itlMs.push(now - this.#last);
    this.#last = now;
    this.tokens += tokens;
  }

  /** The sample fields of the generation. */
  fields(): Partial<Sample> {
    return { ...(this.ttftMs !== undefined ? { ttftMs: this.ttftMs } : {}), itlMs: this.itlMs, tokens: this.tokens };
  }
}

/** Streaming Generate of `maxNewTokens` greedy tokens from an empty prompt; every stream must produce them all. */
export function generateWorkload(address: string, model: string, maxNewTokens: number, deadlineMs: number): Workload {
  const client = new TextClient(address, credentials.createInsecure(), grpcChannelOptions());
  const req: GenerateRequest = { model, prompt: '', sampling: { maxNewTokens, temperature: 0, topK: 0, stop: [] } };
  const call = (): Promise<Sample> => {
    const t0 = performance.now();
    const clock = new TokenClock(t0);
    return new Promise((resolve) => {
      const s = client.generate(req, new Metadata(), within(deadlineMs));
      s.on('data', (r: GenerateResponse) => {
        if (r.delta) clock.tick(r.delta.tokenIds.length);
      });
      s.on('error', (err) => resolve(grpcFailure(t0, err)));
      s.on('end', () => resolve(answered(t0, clock.tokens === maxNewTokens ? undefined : `expected ${maxNewTokens} tokens, got ${clock.tokens}`, clock.fields())));
    });
  };
  return {
    name: 'generate', describe: `Generate of ${maxNewTokens} tokens`, replaySafe: false,
    open: () => Promise.resolve({ call, close: () => Promise.resolve() }),
    close: () => Promise.resolve(client.close()),
  };
}
