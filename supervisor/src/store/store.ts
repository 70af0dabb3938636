// ModelStore: the supervisor's single owner of model files. Pulls catalog models into the disk
// cache (one shared pull per model), runs conversion hooks, and opens files for serving.

import { constants } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { ModelCache } from './cache.js';
import { CacheFileRange, type OpenedFile } from './opened-file.js';
import type { VerifyResult } from './cache.js';
import type { Catalog } from './catalog.js';
import { ConverterRegistry } from './converters.js';
import { StoreError, cancelledError, mapFsError } from './core/errors.js';
import { ProgressReporter } from './progress.js';
import { runPull, type PullObserver } from './pull.js';
import { relativePathProblem, resolveEntryInside } from './safe-path.js';
import { SingleFlight } from './single-flight.js';
import { createSources } from './sources/index.js';
import type { SourceContext, SourceSet } from './sources/index.js';
import type { CatalogEntry, ConvertKind, ConverterFn, LocalManifest, ManifestFile, PullProgress } from './core/types.js';

export interface ModelStoreOptions extends SourceContext {
  readonly catalog: Catalog;
  /** Cache root; default `~/.cache/tabagent/models`. */
  readonly cacheRoot?: string;
  /** Replaces the default npm/file/hf/https sources. */
  readonly sources?: SourceSet;
  /** Minimum milliseconds between byte-progress events (stage changes always go out); default 100. */
  readonly progressIntervalMs?: number;
  /** Told of fetched bytes and conversion times (metrics). */
  readonly observer?: PullObserver;
}

export interface PullOptions {
  readonly onProgress?: (event: PullProgress) => void;
  /** Stops this caller's wait; the shared pull goes on for other callers and the cache. */
  readonly signal?: AbortSignal;
  /** Run the entry's converter after pulling (default true). */
  readonly convert?: boolean;
}

export type { OpenedFile } from './opened-file.js';

export class ModelStore {
  readonly cache: ModelCache;
  readonly #catalog: Catalog;
  readonly #sources: SourceSet;
  readonly #converters = new ConverterRegistry();
  readonly #flights = new SingleFlight<string, LocalManifest, PullProgress>();
  readonly #closing = new AbortController();
  readonly #log: Logger | undefined;
  readonly #progressIntervalMs: number;
  readonly #observer: PullObserver | undefined;

  constructor(options: ModelStoreOptions) {
    this.#catalog = options.catalog;
    this.#log = options.logger;
    this.cache = new ModelCache({ root: options.cacheRoot, logger: options.logger });
    this.#sources = options.sources ?? createSources(options);
    this.#progressIntervalMs = options.progressIntervalMs ?? 100;
    this.#observer = options.observer;
  }

  get catalog(): Catalog {
    return this.#catalog;
  }

  /** The catalog entry of an id or alias (its `id` is canonical; STORE_NOT_FOUND names an unknown name). */
  entry(id: string): CatalogEntry {
    return this.#catalog.get(id);
  }

  /** Registers the post-pull converter for `kind`; bump `version` to invalidate cached outputs. */
  registerConverter(kind: ConvertKind, fn: ConverterFn, options: { version?: string } = {}): void {
    this.#converters.register(kind, fn, options.version);
  }

  /** True while a pull of `id` is running. */
  isPulling(id: string): boolean {
    return this.#flights.has(id);
  }

  /**
   * Makes `id` available locally and returns its manifest. Concurrent pulls of one model share
   * the work; files already cached and intact are not fetched again.
   */
  async pull(name: string, options: PullOptions = {}): Promise<LocalManifest> {
    const entry = this.#catalog.get(name);
    const id = entry.id;
    if (this.#closing.signal.aborted) throw new StoreError('STORE_CANCELLED', 'the model store is closed', { id });
    if (options.signal?.aborted === true) throw cancelledError(`pull of '${id}'`, options.signal);
    const wantConvert = options.convert !== false;
    const join = (): Promise<LocalManifest> => this.#flights.run(id, (emit) => {
      const progress = new ProgressReporter(id, emit, this.#progressIntervalMs);
      return runPull(
        { cache: this.cache, sources: this.#sources, converters: this.#converters, logger: this.#log, observer: this.#observer },
        entry, progress, { convert: wantConvert, signal: this.#closing.signal },
      );
    }, { signal: options.signal, onEvent: options.onProgress });
    const manifest = await join();
    // a shared pull started without conversion: convert now (the files are cached, so this is quick)
    if (wantConvert && entry.convert !== undefined && manifest.converted.length === 0) return join();
    return manifest;
  }

  /** The manifest of a pulled model, or undefined when it is not in the cache. */
  async manifest(id: string): Promise<LocalManifest | undefined> {
    return this.cache.readManifest(this.#catalog.get(id));
  }

  /** Checks every cached file of `id` by sha256 (reports; the next pull repairs). */
  async verify(id: string, signal?: AbortSignal): Promise<VerifyResult> {
    return this.cache.verify(this.#catalog.get(id), { signal });
  }

  /** Removes every cached revision of `id`. */
  async remove(name: string): Promise<boolean> {
    return this.cache.remove(this.#catalog.get(name).id);
  }

  /** Catalog entries with their manifests when pulled. */
  async list(): Promise<Array<{ entry: CatalogEntry; manifest: LocalManifest | undefined }>> {
    const out = [];
    for (const entry of this.#catalog.list()) out.push({ entry, manifest: await this.cache.readManifest(entry) });
    return out;
  }

  /**
   * Opens a file of a pulled model for serving (pulled or converted file), optionally a byte range
   * `[start, end]` (inclusive, like fs streams). Refuses unsafe paths with STORE_PERMISSION_DENIED.
   */
  async open(id: string, path: string, range: { start?: number; end?: number } = {}): Promise<OpenedFile> {
    const problem = relativePathProblem(path);
    if (problem !== undefined) {
      throw new StoreError('STORE_PERMISSION_DENIED', `file path ${JSON.stringify(path)} ${problem}`, { id, path });
    }
    const manifest = await this.manifest(id);
    if (manifest === undefined) throw new StoreError('STORE_NOT_FOUND', `model '${id}' has not been pulled`, { id });
    const file: ManifestFile | undefined = manifest.files.find((f) => f.path === path)
      ?? manifest.converted.find((f) => f.path === path);
    if (file === undefined) throw new StoreError('STORE_NOT_FOUND', `model '${id}' has no file '${path}'`, { id, path });
    const abs = await resolveEntryInside(manifest.dir, path);
    let handle;
    try {
      handle = await openFile(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new StoreError('STORE_NOT_FOUND', `model '${id}' file '${path}' is missing from the cache`, { id, path });
      if (code === 'ELOOP') throw new StoreError('STORE_PERMISSION_DENIED', `model '${id}' file '${path}' is a symlink`, { id, path });
      throw mapFsError(err, abs);
    }
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size !== file.size) {
      await handle.close();
      await this.cache.removeFile(manifest.dir, path);
      throw new StoreError('STORE_DATA_LOSS', `model '${id}' file '${path}' has size ${stats.size}, expected ${file.size}; removed`,
        { id, path });
    }
    // clamp the range to the file; an empty range yields an empty stream
    const start = Math.min(Math.max(0, Math.trunc(range.start ?? 0)), file.size);
    const end = Math.max(start - 1, Math.min(Math.trunc(range.end ?? file.size - 1), file.size - 1));
    return new CacheFileRange(handle, path, file.size, file.sha256, start, end);
  }

  /** Stops running pulls (their partial downloads stay for resuming). */
  close(): void {
    this.#closing.abort(new StoreError('STORE_CANCELLED', 'the model store is closing'));
  }
}
