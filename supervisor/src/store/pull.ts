// One pull of one model: check the cache, fetch what is missing or corrupt, verify sha256, run the
// conversion hook, and write the manifest. A first pull that fails for a non-transient reason
// leaves nothing behind; interrupted downloads keep their partial files for resuming.

import { constants, existsSync } from 'node:fs';
import { access, lstat, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { ModelCache, VerifyResult } from './cache.js';
import { type ConverterRegistry, runConversion } from './converters.js';
import { StoreError, diskFault, isStoreError, mapFsError } from './core/errors.js';
import { commitFile, partialPathFor } from './fs-atomic.js';
import { hashFile } from './core/hash.js';
import type { ProgressReporter } from './progress.js';
import { withPullLock } from './pull-lock.js';
import type { FetchResult, FetchTarget, SourceSet } from './sources/index.js';
import type { CatalogEntry, CatalogFile, ConvertedFile, LocalManifest, ManifestFile } from './core/types.js';

/** What a pull reports for metrics. */
export interface PullObserver {
  /** Bytes of one model file fetched, verified and committed into the cache. */
  pulled(model: string, bytes: number): void;
  /** One conversion run of a pulled model, by converter kind. */
  converted(converter: string, seconds: number): void;
}

export interface PullContext {
  readonly cache: ModelCache;
  readonly sources: SourceSet;
  readonly converters: ConverterRegistry;
  readonly logger?: Logger;
  readonly observer?: PullObserver;
}

export interface PullSettings {
  /** Run the entry's converter (default true). */
  readonly convert: boolean;
  readonly signal: AbortSignal;
}

const TRANSIENT = new Set(['STORE_UNAVAILABLE', 'STORE_CANCELLED']);

/**
 * Fetches the targets (one batch when the source supports it, else file by file) and hands each
 * fetched file to `settle` right away, so a later failure leaves earlier files committed.
 */
async function fetchMissing(
  ctx: PullContext, entry: CatalogEntry, targets: FetchTarget[], progress: ProgressReporter, signal: AbortSignal,
  settle: (target: FetchTarget, result: FetchResult | undefined) => Promise<void>,
): Promise<void> {
  const source = ctx.sources.forEntry(entry);
  const total = targets.reduce((sum, t) => sum + (t.file.size ?? 0), 0);
  if (source.fetchAll !== undefined) {
    progress.report('downloading', 0, total);
    const results = await source.fetchAll(entry, targets, {
      signal, onProgress: (done, reported) => progress.report('downloading', done, Math.max(total, reported)),
    });
    for (const [i, t] of targets.entries()) await settle(t, results[i]);
    return;
  }
  let base = 0;
  let unknownSizes = 0;
  for (const t of targets) {
    let fileDone = 0;
    progress.report('downloading', base, total + unknownSizes, t.file.path);
    const result = await source.fetch(entry, t.file, t.dest, {
      signal,
      onProgress: (done, fileTotal) => {
        fileDone = done;
        const expected = total + unknownSizes + (t.file.size === undefined ? Math.max(done, fileTotal) : 0);
        progress.report('downloading', base + done, Math.max(expected, base + done), t.file.path);
      },
    });
    base += t.file.size ?? fileDone;
    if (t.file.size === undefined) unknownSizes += fileDone;
    await settle(t, result);
  }
}

/** Hashes a fetched temp file, checks it, and renames it into place; a bad file is removed. */
async function verifyAndCommit(
  entry: CatalogEntry, file: CatalogFile, tmp: string, dest: string, hint: string | undefined, signal: AbortSignal,
): Promise<ManifestFile> {
  const { sha256, size } = await hashFile(tmp, signal);
  const expected = file.sha256 ?? hint;
  const sizeBad = file.size !== undefined && size !== file.size;
  if (sizeBad || (expected !== undefined && sha256 !== expected)) {
    await rm(tmp, { force: true });
    const what = sizeBad ? `size ${size} (expected ${file.size})` : `sha256 ${sha256} (expected ${expected})`;
    throw new StoreError('STORE_DATA_LOSS', `model '${entry.id}' file '${file.path}' failed verification: ${what}; removed`,
      { id: entry.id, path: file.path, sha256, expected, size });
  }
  await commitFile(tmp, dest);
  return { path: file.path, size, sha256 };
}

/**
 * Brings every source file of `entry` into `dir` (fetching what is missing or corrupt). When the
 * model had no manifest and this fails for a non-transient reason, the folder is removed.
 */
async function ensureFiles(
  ctx: PullContext, entry: CatalogEntry, dir: string, state: VerifyResult, progress: ProgressReporter, signal: AbortSignal,
): Promise<{ files: ManifestFile[]; fetched: number; origin: Record<string, string> }> {
  const { cache, logger } = ctx;
  const good = new Map<string, ManifestFile>();
  const targets: FetchTarget[] = [];
  const origin: Record<string, string> = {};
  try {
    for (const [i, file] of entry.files.entries()) {
      const s = state.files[i];
      if (s?.state === 'ok') {
        good.set(file.path, s.file);
        continue;
      }
      const dest = await cache.entryPath(dir, file.path);
      if (s?.state === 'corrupt') {
        logger?.warn({ id: entry.id, file: file.path, reason: s.reason }, 'cached model file is corrupt; fetching again');
        await rm(dest, { force: true });
      }
      await mkdir(dirname(dest), { recursive: true });
      const partial = partialPathFor(dest);
      // a partial download is only resumed when it is a plain file
      if (await lstat(partial).then((st) => !st.isFile(), () => false)) await rm(partial, { recursive: true, force: true });
      targets.push({ file, dest: partial });
    }
    if (targets.length > 0) {
      logger?.info({ id: entry.id, files: targets.length, source: entry.source }, 'fetching model files');
      await fetchMissing(ctx, entry, targets, progress, signal, async (t, result) => {
        Object.assign(origin, result?.origin);
        progress.report('verifying', 0, t.file.size ?? 0, t.file.path);
        const dest = await cache.entryPath(dir, t.file.path);
        const committed = await verifyAndCommit(entry, t.file, t.dest, dest, result?.sha256, signal);
        good.set(t.file.path, committed);
        ctx.observer?.pulled(entry.id, committed.size);
        progress.report('verifying', t.file.size ?? 0, t.file.size ?? 0, t.file.path);
      });
    }
  } catch (caught) {
    // A full or read-only disk is no transient fault: a first pull removes what it wrote; partial
    // downloads of a re-pull stay, but only a file whose sha256 verifies is ever renamed into place.
    const err = diskFault(caught, dir) ?? caught;
    const transient = signal.aborted || (isStoreError(err) && TRANSIENT.has(err.code));
    if (state.manifest === undefined && !transient) {
      logger?.warn({ id: entry.id, err: (err as Error).message }, 'pull failed; removing its files from the cache');
      await cache.removeDir(dir).catch(() => undefined);
    }
    throw err;
  }
  return { files: entry.files.map((f) => good.get(f.path) as ManifestFile), fetched: targets.length, origin };
}

function reportDone(progress: ProgressReporter, manifest: LocalManifest): void {
  const bytes = [...manifest.files, ...manifest.converted].reduce((sum, f) => sum + f.size, 0);
  progress.report('done', bytes, bytes);
}

/** Pulls one model: files, conversion, manifest. Returns the (possibly unchanged) manifest. */
export async function runPull(
  ctx: PullContext, entry: CatalogEntry, progress: ProgressReporter, settings: PullSettings,
): Promise<LocalManifest> {
  const { cache } = ctx;
  const { signal } = settings;
  progress.report('resolving', 0, 0);
  const dir = await cache.modelDir(entry);
  await makeModelDir(dir);
  // Another process sharing the cache may be pulling the same model: one at a time per folder.
  try {
    return await withPullLock(dir, { signal, ...(ctx.logger ? { log: ctx.logger } : {}) }, () => pullLocked(ctx, entry, dir, progress, settings));
  } catch (err) {
    throw diskFault(err, dir) ?? err;
  }
}

/** Creates the model's folder; a refusal names the folder that could not be written. */
async function makeModelDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    // A recursive mkdir reports ENOENT on a read-only file system: ask the nearest existing folder.
    let probe = dirname(dir);
    while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
    const why = await access(probe, constants.W_OK).then(() => undefined, (e: unknown) => e);
    throw why !== undefined ? mapFsError(why, probe) : mapFsError(err, dir);
  }
}

/** The pull itself, holding the folder's pull lock. */
async function pullLocked(
  ctx: PullContext, entry: CatalogEntry, dir: string, progress: ProgressReporter, settings: PullSettings,
): Promise<LocalManifest> {
  const { cache } = ctx;
  const { signal } = settings;
  const state = await cache.verify(entry, { signal });
  const { files, fetched, origin } = await ensureFiles(ctx, entry, dir, state, progress, signal);
  const { converted, changed } = await convertIfNeeded(ctx, entry, dir, state.manifest, state.ok, fetched === 0, progress, settings);
  if (state.manifest !== undefined && state.ok && fetched === 0 && !changed) {
    reportDone(progress, state.manifest);
    return state.manifest;
  }
  const converter = entry.convert !== undefined ? ctx.converters.get(entry.convert) : undefined;
  const manifest: LocalManifest = {
    schemaVersion: 1,
    id: entry.id,
    source: entry.source,
    revision: cache.revisionFor(entry),
    task: entry.task,
    runtime: entry.runtime,
    ...(entry.convert !== undefined ? { convert: entry.convert } : {}),
    params: entry.params ?? {},
    files,
    converted,
    ...(converted.length > 0 && converter !== undefined ? { converterVersion: converter.version } : {}),
    origin: { ...state.manifest?.origin, ...origin },
    pulledAt: new Date().toISOString(),
    dir,
  };
  await cache.writeManifest(manifest);
  reportDone(progress, manifest);
  return manifest;
}

/** Reuses valid converted outputs, or runs the registered converter; returns the outputs to record. */
async function convertIfNeeded(
  ctx: PullContext, entry: CatalogEntry, dir: string, previous: LocalManifest | undefined, cacheOk: boolean,
  sourcesUnchanged: boolean, progress: ProgressReporter, settings: PullSettings,
): Promise<{ converted: readonly ConvertedFile[]; changed: boolean }> {
  const kept = cacheOk && previous !== undefined ? previous.converted : [];
  if (entry.convert === undefined || !settings.convert) return { converted: kept, changed: false };
  const converter = ctx.converters.get(entry.convert);
  if (converter === undefined) {
    throw new StoreError('STORE_FAILED_PRECONDITION',
      `model '${entry.id}' needs the ${entry.convert} converter, which is not available`, { id: entry.id, convert: entry.convert });
  }
  if (previous !== undefined && cacheOk && sourcesUnchanged && previous.converted.length > 0
    && previous.convert === entry.convert && previous.converterVersion === converter.version) {
    return { converted: previous.converted, changed: false };
  }
  const total = entry.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  progress.report('converting', 0, total);
  ctx.logger?.info({ id: entry.id, convert: entry.convert }, 'converting model');
  const started = performance.now();
  const converted = await runConversion({
    entry, dir, converter, signal: settings.signal,
    onProgress: (fraction) => progress.report('converting', Math.round(fraction * total), total),
  });
  ctx.observer?.converted(entry.convert, (performance.now() - started) / 1000);
  return { converted, changed: true };
}
