// Public surface of the embedding engine.

export { DynamicBatcher, type BatchingOptions, type BatchReport } from './batcher.js';
export { embedConfig, DEFAULT_EMBED_CONFIG, type EmbedConfig } from './config.js';
export { serveEmbed, validateEmbed } from './embed-request.js';
export { EmbedderHandle, asEmbedderHandle, type Embedder, type EmbedOptions, type PoolingMode } from './embedder.js';
export { EmbedError, invalidEmbed, type EmbedErrorCode } from './errors.js';
export { loadHfEmbedder, type LoadHfEmbedderOptions } from './hf-embedder.js';
export { tfjsRuntime, type TfjsRuntime } from './tfjs-runtime.js';
export { loadUseModel, type LoadUseOptions } from './use-model.js';
export { UseTokenizer, isUseVocabulary, UNK_ID, type UseVocabulary } from './use-tokenizer.js';
