// The text-generation runtime interface: what the Text service needs from a loaded model, whatever
// runtime runs it (transformers.js's ONNX decoder in this folder, llama.cpp in llama/). Both stream
// the same events, honour the same options and raise the same TextError codes.

import { chat, type ChatMessage, type ChatOptions } from './chat.js';
import { generate, type GenerationEvent } from './generate.js';
import { invalidArgument } from './errors.js';
import type { TextModel } from './load.js';
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

/** Refuses the options only a grammar-capable runtime with a resizable context serves. */
function refuseLlamaOnly(o: GenerateOptions | ChatOptions): void {
  if (o.jsonSchema !== undefined) throw invalidArgument('jsonSchema', 'constrained output needs the llama.cpp runtime; this model runs on transformers.js');
  if (o.contextSize !== undefined) throw invalidArgument('contextSize', 'this model runs on transformers.js, whose context is fixed by the model');
}

/** transformers.js models as a TextEngine. */
export class TransformersTextEngine implements TextEngine {
  constructor(readonly model: TextModel) {}

  get id(): string {
    return this.model.id;
  }

  async *generate(o: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
    refuseLlamaOnly(o);
    yield* generate(this.model, o);
  }

  async *chat(messages: readonly ChatMessage[], o: ChatOptions, tools?: ChatTools): AsyncGenerator<GenerationEvent, void, undefined> {
    refuseLlamaOnly(o);
    if (tools && tools.functions.length > 0 && tools.choice !== 'none') {
      throw invalidArgument('tools', 'function calling needs the llama.cpp runtime; this model runs on transformers.js (tool_choice "none" ignores the tools)');
    }
    yield* chat(this.model, messages, o);
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
