// Shared types of the model store: catalog entries, local manifests, progress events, converter hooks.

/** What a model does; decides which service and pipeline can use it. */
export const TASKS = [
  'face-detection', 'face-mesh', 'iris', 'palm-detection', 'hand-landmarks', 'pose-detection',
  'pose-landmarks', 'segmentation', 'object-detection', 'text-generation', 'embeddings', 'speech-to-text',
] as const;
export type Task = (typeof TASKS)[number];

/** Which runtime of the child executes the model. */
export const RUNTIMES = ['onnxruntime', 'transformers', 'tfjs', 'llama.cpp'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Conversions run once after a pull; the outputs are stored next to the pulled files. */
export const CONVERT_KINDS = ['tfjs-graph-to-onnx', 'llama2c-to-transformers', 'llama2c-to-gguf', 'onnx-int8-to-uint8'] as const;
export type ConvertKind = (typeof CONVERT_KINDS)[number];

/** One file of a model, as found in its source. */
export interface CatalogFile {
  /** Path inside the source (relative to the entry's `subdir`); also its path in the cache. */
  readonly path: string;
  /** Size in bytes, when known; checked after download. */
  readonly size?: number;
  /** Lower-case hex sha256, when known; checked after download. */
  readonly sha256?: string;
}

/** A catalog entry: where a model comes from and how to run it. */
export interface CatalogEntry {
  /** Catalog name, e.g. `mediapipe/face-detection-short`. */
  readonly id: string;
  /** Other names clients may use for the model (e.g. `stories260k`); answers name `id`. */
  readonly aliases?: readonly string[];
  /** `npm:<pkg>@<version>`, `file:<folder>`, `hf:<repo>@<revision>` or an `https://` base URL. */
  readonly source: string;
  /** Folder inside the source that file paths are relative to (e.g. `models` in an npm package). */
  readonly subdir?: string;
  readonly files: readonly CatalogFile[];
  readonly task: Task;
  readonly runtime: Runtime;
  readonly convert?: ConvertKind;
  /** Free-form pre/post-processing settings passed to the runtime with the model. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Human-readable notes (license, origin). */
  readonly description?: string;
  /** ML nodes the model is placed on when loaded (0 = every node; unset = 1). */
  readonly replicas?: number;
}

/** A file present in the cache, with its verified size and checksum. */
export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** A file produced by a converter, stored beside the pulled files. */
export interface ConvertedFile extends ManifestFile {
  readonly converter: ConvertKind;
}

/** What the store knows about a pulled model; written as JSON next to its files. */
export interface LocalManifest {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly source: string;
  /** Revision folder name in the cache (package version, hub revision, or a hash of the entry). */
  readonly revision: string;
  readonly task: Task;
  readonly runtime: Runtime;
  readonly convert?: ConvertKind;
  readonly params: Readonly<Record<string, unknown>>;
  readonly files: readonly ManifestFile[];
  readonly converted: readonly ConvertedFile[];
  /** Version string of the converter that produced `converted`, if any. */
  readonly converterVersion?: string;
  /** Source-specific facts, e.g. the npm tarball integrity and resolved URL. */
  readonly origin: Readonly<Record<string, string>>;
  readonly pulledAt: string;
  /** Absolute folder holding the files (not serialized; filled in when read). */
  readonly dir: string;
}

export type PullStage = 'resolving' | 'downloading' | 'verifying' | 'converting' | 'done';

/** A progress event of a pull. Bytes count the current stage; `file` is the file being worked on. */
export interface PullProgress {
  readonly id: string;
  readonly stage: PullStage;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly file?: string;
}

/** Input of a converter: the pulled files of one model. */
export interface ConverterInput {
  readonly entry: CatalogEntry;
  /** Cache-relative paths of the pulled files. */
  readonly files: readonly string[];
  /** Reads one pulled file by its cache-relative path. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Reports conversion progress as a fraction 0..1. */
  readonly onProgress: (fraction: number) => void;
  readonly signal: AbortSignal;
}

/** A converter returns its output files keyed by cache-relative path. */
export type ConverterFn = (input: ConverterInput) => Promise<ReadonlyMap<string, Uint8Array>>;
