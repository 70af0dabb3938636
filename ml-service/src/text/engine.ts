// The text-generation runtime interface: what the Text service needs from a loaded model, whatever
// runtime runs it (transformers.js's ONNX decoder in transformers/, llama.cpp in llama/). Both stream
// the same events, honour the same options and raise the same TextError codes.

import type { ChatMessage, ChatOptions } from './chat-messages.js';
import type { GenerationEvent } from './events.js';
import type { GenerateOptions } from './options.js';
import type { ChatTools } from './tools.js';

/** A loaded text-generation model of some runtime. */
export interface TextEngine {
  readonly id: string;
  /** Streams a completion of `o.prompt`: deltas, then one final summary (see `generate`). */
  generate(o: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined>;
  /** Streams the assistant's reply to `messages`; with `tools` it may answer with calls instead of text. */
  chat(messages: readonly ChatMessage[], o: ChatOptions, tools?: ChatTools): AsyncGenerator<GenerationEvent, void, undefined>;
  /** Idempotent. */
  dispose(): Promise<void>;
}
