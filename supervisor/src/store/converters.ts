// Post-pull conversion hooks: a registry of converters by kind, and running one over a pulled
// model so its outputs are written (atomically) beside the pulled files and recorded.

import { readFile } from 'node:fs/promises';
import { StoreError } from './core/errors.js';
import { writeFileAtomic } from './fs-atomic.js';
import { hashBytes } from './core/hash.js';
import { relativePathProblem, resolveInside } from './safe-path.js';
import type { CatalogEntry, ConvertKind, ConvertedFile, ConverterFn } from './core/types.js';

export interface RegisteredConverter {
  readonly fn: ConverterFn;
  /** Changing the version makes cached outputs stale, so models are converted again. */
  readonly version: string;
}

/** Converters by kind; one per kind, a later registration replaces the earlier one. */
export class ConverterRegistry {
  readonly #converters = new Map<ConvertKind, RegisteredConverter>();

  register(kind: ConvertKind, fn: ConverterFn, version = '1'): void {
    this.#converters.set(kind, { fn, version });
  }

  get(kind: ConvertKind): RegisteredConverter | undefined {
    return this.#converters.get(kind);
  }
}

export interface ConversionRun {
  readonly entry: CatalogEntry;
  readonly dir: string;
  readonly converter: RegisteredConverter;
  readonly signal: AbortSignal;
  readonly onProgress: (fraction: number) => void;
}

/** Runs the converter and stores its outputs; returns them with sizes and checksums. */
export async function runConversion(run: ConversionRun): Promise<ConvertedFile[]> {
  const { entry, dir, converter } = run;
  const kind = entry.convert;
  if (kind === undefined) return [];
  const sourcePaths = new Set(entry.files.map((f) => f.path));
  const outputs = await converter.fn({
    entry,
    files: entry.files.map((f) => f.path),
    readFile: async (path) => {
      if (!sourcePaths.has(path)) {
        throw new StoreError('STORE_NOT_FOUND', `model '${entry.id}' has no pulled file '${path}'`, { id: entry.id, path });
      }
      return new Uint8Array(await readFile(await resolveInside(dir, path)));
    },
    onProgress: (fraction) => run.onProgress(Math.min(1, Math.max(0, fraction))),
    signal: run.signal,
  });
  run.signal.throwIfAborted();
  const converted: ConvertedFile[] = [];
  for (const [path, data] of outputs) {
    const problem = relativePathProblem(path);
    if (problem !== undefined) {
      throw new StoreError('STORE_PERMISSION_DENIED', `converter ${kind} output path ${JSON.stringify(path)} ${problem}`,
        { id: entry.id, path });
    }
    if (sourcePaths.has(path)) {
      throw new StoreError('STORE_PERMISSION_DENIED', `converter ${kind} output '${path}' would overwrite a pulled file`,
        { id: entry.id, path });
    }
    await writeFileAtomic(await resolveInside(dir, path), data);
    converted.push({ path, size: data.byteLength, sha256: hashBytes(data), converter: kind });
  }
  run.onProgress(1);
  return converted;
}
