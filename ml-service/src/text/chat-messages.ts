// Chat messages and the plain transcript prompt, shared by every text runtime.

import { invalidArgument } from './errors.js';
import type { GenerateOptions } from './options.js';

export const CHAT_ROLES = ['system', 'user', 'assistant'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

export type ChatOptions = Omit<GenerateOptions, 'prompt' | 'inputIds'>;

/** A rendered conversation, ready for `generate`. */
export interface ChatPrompt {
  readonly prompt: string;
  /** Whether BOS is prepended (templates usually write it themselves). */
  readonly addBos: boolean | undefined;
  /** Stop strings implied by the template. */
  readonly stop: readonly string[];
}

/** Throws TEXT_INVALID_ARGUMENT naming the first bad message field. */
export function validateMessages(messages: readonly ChatMessage[]): void {
  if (!Array.isArray(messages) || messages.length === 0) throw invalidArgument('messages', 'must be a non-empty list');
  messages.forEach((msg, i) => {
    if (!(CHAT_ROLES as readonly string[]).includes(msg?.role)) {
      throw invalidArgument(`messages[${i}].role`, `must be one of ${CHAT_ROLES.join(', ')}, got ${String(msg?.role)}`);
    }
    if (typeof msg.content !== 'string') throw invalidArgument(`messages[${i}].content`, 'must be a string');
  });
}

/**
 * Plain template for models without one: each message as a "role: content" line, then "assistant:"
 * for the model to continue. BOS is prepended as for any prompt; generation stops at the next
 * "\nuser:" or "\nsystem:" line so the model does not write the other side of the conversation.
 */
export function plainChatPrompt(messages: readonly ChatMessage[]): string {
  return `${messages.map((msg) => `${msg.role}: ${msg.content}\n`).join('')}assistant:`;
}
