// Public surface of the model store.

export { Catalog, loadCatalogFile, parseCatalogJson, validateEntry } from './catalog.js';
export { DEFAULT_ENTRIES, STORIES260K_FOLDER, defaultCatalog } from './catalog-defaults.js';
export { HUMAN_MODELS_SOURCE, VISION_DEFAULTS } from './catalog-defaults-vision.js';
export { ModelCache, defaultCacheRoot } from './cache.js';
export type { FileState, VerifyResult } from './cache.js';
export { StoreError, isStoreError } from './core/errors.js';
export type { StoreErrorCode } from './core/errors.js';
export { parseSource } from './core/source-spec.js';
export type { SourceSpec } from './core/source-spec.js';
export { createSources } from './sources/index.js';
export type { FetchOptions, FetchResult, FetchTarget, Source, SourceContext, SourceSet } from './sources/index.js';
export { DEFAULT_HF_ENDPOINT } from './sources/hf.js';
export { npmOptionsFromConfig } from './sources/npm-config.js';
export { ModelStore } from './store.js';
export type { ModelStoreOptions, OpenedFile, PullOptions } from './store.js';
export { CONVERT_KINDS, RUNTIMES, TASKS } from './core/types.js';
export type {
  CatalogEntry, CatalogFile, ConvertKind, ConvertedFile, ConverterFn, ConverterInput, LocalManifest,
  ManifestFile, PullProgress, PullStage, Runtime, Task,
} from './core/types.js';
