// What every text runtime streams: deltas, then one final summary (transformers.js and llama.cpp alike).

import type { ToolCallResult } from './tools.js';

export type FinishReason = 'length' | 'stop' | 'eos' | 'cancelled' | 'tool_calls';

/** A piece of generated text and the ids of the tokens that completed it. */
export interface TextDelta {
  readonly type: 'delta';
  readonly delta: string;
  readonly tokenIds: readonly number[];
}

/** Last event of every generation. */
export interface GenerationSummary {
  readonly type: 'final';
  readonly promptTokens: number;
  /** Tokens sampled, including a final EOS. */
  readonly completionTokens: number;
  /** From the call to the first sampled token (prompt processing included). */
  readonly timeToFirstTokenMs: number;
  /** completionTokens divided by the wall time of the whole call. */
  readonly tokensPerSecond: number;
  /** Wall time of the whole call (prompt processing included). */
  readonly durationMs: number;
  readonly finishReason: FinishReason;
  /** Calls the model made instead of text (a Chat with tools; finishReason "tool_calls"). */
  readonly toolCalls?: readonly ToolCallResult[];
}

export type GenerationEvent = TextDelta | GenerationSummary;

/** A finished generation collected into one value. */
export interface GenerationResult extends Omit<GenerationSummary, 'type'> {
  readonly text: string;
  readonly tokenIds: readonly number[];
  readonly deltas: readonly string[];
}
