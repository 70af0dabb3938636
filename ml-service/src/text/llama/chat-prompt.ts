// Chat prompts on llama.cpp: the GGUF's own chat template (tokenizer.chat_template, rendered by
// node-llama-cpp's chat wrappers) when it has one, else the same plain "role: content" transcript
// and stop strings as the transformers.js engine, so both runtimes answer a template-less model alike.

import type { ChatHistoryItem, LlamaModel } from 'node-llama-cpp';
import { plainChatPrompt, validateMessages, type ChatMessage } from '../chat-messages.js';
import { invalidArgument } from '../errors.js';
import type { TextModelInfo } from '../model-info.js';
import type { NodeLlamaCpp } from './bindings.js';

/** A rendered conversation: the prompt's token ids (BOS included) and template-implied stop strings. */
export interface LlamaChatPrompt {
  readonly inputIds: number[];
  readonly stop: readonly string[];
}

function history(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content });
  items.push({ type: 'model', response: [] }); // the reply to write
  return items;
}

export function renderLlamaChat(lib: NodeLlamaCpp, model: LlamaModel, info: TextModelInfo, messages: readonly ChatMessage[]): LlamaChatPrompt {
  validateMessages(messages);
  if (info.chatTemplate !== undefined) {
    const wrapper = lib.resolveChatWrapper(model);
    const state = wrapper.generateContextState({ chatHistory: history(messages) });
    return { inputIds: state.contextText.tokenize(model.tokenizer).map(Number), stop: [] };
  }
  const text = plainChatPrompt(messages);
  const ids = model.tokenize(text, false).map(Number);
  if (info.addBosByDefault) {
    if (info.bosTokenId === undefined) throw invalidArgument('addBos', 'the model has no BOS token');
    ids.unshift(info.bosTokenId);
  }
  return { inputIds: ids, stop: ['\nuser:', '\nsystem:'] };
}
