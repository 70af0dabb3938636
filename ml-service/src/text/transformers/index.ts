// Public surface of the transformers.js text engine, with the runtime-neutral types it speaks in.

export type { TextEngine } from '../engine.js';
export { TransformersTextEngine } from './engine.js';
export { loadTextModel, type LoadTextModelOptions, type TextModel } from './load.js';
export type { TextModelInfo } from '../model-info.js';
export { generate, generateText } from './generate.js';
export type { GenerationEvent, GenerationResult, GenerationSummary, TextDelta, FinishReason } from '../events.js';
export { chat, renderChat } from './chat.js';
export { plainChatPrompt, CHAT_ROLES, type ChatMessage, type ChatOptions, type ChatRole } from '../chat-messages.js';
export { DEFAULT_MAX_NEW_TOKENS, type GenerateOptions } from '../options.js';
export { encodeText, decodeIds } from './prompt.js';
export { Detokenizer, type DecodeFn } from '../detokenizer.js';
export { StopMatcher } from '../stop-matcher.js';
export { TextError, type TextErrorCode } from '../errors.js';
export type { ReadFile } from '../../runtime/transformers-files.js';
