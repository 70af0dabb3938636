// transformers.js models as a TextEngine.

import type { ChatMessage, ChatOptions } from '../chat-messages.js';
import type { TextEngine } from '../engine.js';
import { invalidArgument } from '../errors.js';
import type { GenerationEvent } from '../events.js';
import type { GenerateOptions } from '../options.js';
import type { ChatTools } from '../tools.js';
import { chat } from './chat.js';
import { generate } from './generate.js';
import type { TextModel } from './load.js';

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
