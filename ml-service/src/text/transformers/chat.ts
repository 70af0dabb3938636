// Chat prompts: the tokenizer's chat template when the model has one, else a plain "role: content" transcript.

import { plainChatPrompt, validateMessages, type ChatMessage, type ChatOptions, type ChatPrompt } from '../chat-messages.js';
import type { GenerationEvent } from '../events.js';
import { generate } from './generate.js';
import type { TextModel } from './load.js';

export function renderChat(m: TextModel, messages: readonly ChatMessage[]): ChatPrompt {
  validateMessages(messages);
  if (m.info.chatTemplate) {
    const prompt = m.tokenizer.apply_chat_template(messages.map((x) => ({ role: x.role, content: x.content })), {
      tokenize: false,
      add_generation_prompt: true,
    }) as string;
    return { prompt, addBos: false, stop: [] };
  }
  return { prompt: plainChatPrompt(messages), addBos: undefined, stop: ['\nuser:', '\nsystem:'] };
}

/** Streams the assistant's reply to `messages` (same events as `generate`). */
export async function* chat(
  m: TextModel,
  messages: readonly ChatMessage[],
  opts: ChatOptions = {},
): AsyncGenerator<GenerationEvent, void, undefined> {
  const rendered = renderChat(m, messages);
  yield* generate(m, {
    ...opts,
    prompt: rendered.prompt,
    addBos: opts.addBos ?? rendered.addBos,
    stop: [...(opts.stop ?? []), ...rendered.stop],
  });
}
