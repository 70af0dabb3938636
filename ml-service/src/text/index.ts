// Public surface of the text-generation engine.

export { TransformersTextEngine, type TextEngine } from './engine.js';
export { loadTextModel, type LoadTextModelOptions, type TextModel, type TextModelInfo } from './load.js';
export {
  generate, generateText, type GenerationEvent, type GenerationResult, type GenerationSummary, type TextDelta, type FinishReason,
} from './generate.js';
export { chat, renderChat, plainChatPrompt, CHAT_ROLES, type ChatMessage, type ChatOptions, type ChatRole } from './chat.js';
export { DEFAULT_MAX_NEW_TOKENS, type GenerateOptions } from './options.js';
export { encodeText, decodeIds } from './prompt.js';
export { Detokenizer, type DecodeFn } from './detokenizer.js';
export { StopMatcher } from './stop-matcher.js';
export { TextError, type TextErrorCode } from './errors.js';
export type { ReadFile } from '../runtime/transformers-files.js';
