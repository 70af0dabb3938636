// The on-disk model cache: `<root>/<org--name>/<revision>/<files>` plus a manifest per model.
// Verifies files by size and sha256, removes models, and resolves paths safely inside the root.

import { lstat, readdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { StoreError, mapFsError } from './core/errors.js';
import { hashBytes, hashFile } from './core/hash.js';
import { readManifest, writeManifest } from './manifest.js';
import { idFolderName, resolveEntryInside, resolveInside, revisionFolderName } from './safe-path.js';
import { parseSource } from './core/source-spec.js';
import type { CatalogEntry, CatalogFile, LocalManifest, ManifestFile } from './core/types.js';

/** `$XDG_CACHE_HOME/tabagent/models`, else `~/.cache/tabagent/models`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== ''
    ? env['XDG_CACHE_HOME'] : join(homedir(), '.cache');
  return join(base, 'tabagent', 'models');
}

export type FileState =
  | { readonly state: 'ok'; readonly file: ManifestFile }
  | { readonly state: 'missing' | 'corrupt'; readonly path: string; readonly reason: string };

export interface VerifyResult {
  /** True when every catalog file and every recorded converted file is present and intact. */
  readonly ok: boolean;
  readonly files: readonly FileState[];
  readonly manifest: LocalManifest | undefined;
}

export class ModelCache {
  readonly root: string;
  readonly #log: Logger | undefined;

  constructor(options: { root?: string; logger?: Logger } = {}) {
    this.root = resolve(options.root ?? defaultCacheRoot());
    this.#log = options.logger;
  }

  /** The revision folder of an entry: npm version, hub revision, or a hash of the entry's files. */
  revisionFor(entry: CatalogEntry): string {
    const spec = parseSource(entry.source);
    if (spec.kind === 'npm') return spec.version;
    if (spec.kind === 'hf') return spec.revision;
    const key = JSON.stringify({ source: entry.source, subdir: entry.subdir ?? '', files: entry.files });
    return `h-${hashBytes(key).slice(0, 16)}`;
  }

  /** Absolute folder of an entry's files (not created). */
  async modelDir(entry: CatalogEntry): Promise<string> {
    const rel = `${idFolderName(entry.id)}/${revisionFolderName(this.revisionFor(entry))}`;
    return resolveInside(this.root, rel);
  }

  /** Absolute path of a model file, refusing paths that escape the model folder. */
  async filePath(dir: string, rel: string): Promise<string> {
    return resolveInside(dir, rel);
  }

  /** Like filePath, but the file itself may be a symlink (to be lstat-ed, replaced or removed). */
  async entryPath(dir: string, rel: string): Promise<string> {
    return resolveEntryInside(dir, rel);
  }

  async readManifest(entry: CatalogEntry): Promise<LocalManifest | undefined> {
    return readManifest(await this.modelDir(entry));
  }

  async writeManifest(manifest: LocalManifest): Promise<void> {
    try {
      await writeManifest(manifest);
    } catch (err) {
      throw mapFsError(err, manifest.dir);
    }
  }

  /** Checks one file in `dir` against the expected size/sha256 (`full: false` checks size only). */
  async checkFile(dir: string, file: CatalogFile, full = true, signal?: AbortSignal): Promise<FileState> {
    const path = await this.entryPath(dir, file.path);
    let stats;
    try {
      stats = await lstat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing', path: file.path, reason: 'missing' };
      throw mapFsError(err, path);
    }
    if (!stats.isFile()) return { state: 'corrupt', path: file.path, reason: 'not a regular file' };
    if (file.size !== undefined && stats.size !== file.size) {
      return { state: 'corrupt', path: file.path, reason: `size ${stats.size}, expected ${file.size}` };
    }
    if (!full && file.sha256 !== undefined) return { state: 'ok', file: { path: file.path, size: stats.size, sha256: file.sha256 } };
    const { sha256, size } = await hashFile(path, signal);
    if (file.sha256 !== undefined && sha256 !== file.sha256) {
      return { state: 'corrupt', path: file.path, reason: `sha256 ${sha256}, expected ${file.sha256}` };
    }
    return { state: 'ok', file: { path: file.path, size, sha256 } };
  }

  /**
   * Verifies an entry's cached files by sha256 (catalog checksums win; otherwise the manifest's),
   * plus converted outputs recorded in the manifest. Reports; does not delete.
   */
  async verify(entry: CatalogEntry, options: { full?: boolean; signal?: AbortSignal } = {}): Promise<VerifyResult> {
    const dir = await this.modelDir(entry);
    const manifest = await readManifest(dir);
    const recorded = new Map((manifest?.files ?? []).map((f) => [f.path, f]));
    const expected: CatalogFile[] = entry.files.map((f) => ({
      path: f.path,
      size: f.size ?? recorded.get(f.path)?.size,
      sha256: f.sha256 ?? recorded.get(f.path)?.sha256,
    }));
    expected.push(...(manifest?.converted ?? []));
    const files: FileState[] = [];
    for (const file of expected) files.push(await this.checkFile(dir, file, options.full ?? true, options.signal));
    const ok = manifest !== undefined && files.every((f) => f.state === 'ok');
    return { ok, files, manifest };
  }

  /** Removes every cached revision of a model; returns whether anything was there. */
  async remove(id: string): Promise<boolean> {
    const dir = await resolveInside(this.root, idFolderName(id));
    const existed = await lstat(dir).then(() => true, () => false);
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (err) {
      throw mapFsError(err, dir);
    }
    if (existed) this.#log?.info({ id, dir }, 'removed cached model');
    return existed;
  }

  /** Removes one file of a model folder (a corrupt file found while serving). */
  async removeFile(dir: string, rel: string): Promise<void> {
    await rm(await this.entryPath(dir, rel), { force: true });
  }

  /** Removes one revision folder (used when a first pull fails, so nothing half-done is left). */
  async removeDir(dir: string): Promise<void> {
    const rel = dir.startsWith(this.root) ? dir.slice(this.root.length + 1) : '';
    if (rel === '') throw new StoreError('STORE_PERMISSION_DENIED', `refusing to remove ${dir}`, { path: dir });
    await rm(await resolveInside(this.root, rel), { recursive: true, force: true });
    const parent = resolve(dir, '..');
    const left = await readdir(parent).catch(() => ['?']);
    if (left.length === 0) await rm(parent, { recursive: true, force: true });
  }

  /** Manifests of every model in the cache (any revision). */
  async listManifests(): Promise<LocalManifest[]> {
    const out: LocalManifest[] = [];
    const models = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    for (const model of models) {
      if (!model.isDirectory()) continue;
      const revisions = await readdir(join(this.root, model.name), { withFileTypes: true }).catch(() => []);
      for (const rev of revisions) {
        if (!rev.isDirectory()) continue;
        const manifest = await readManifest(join(this.root, model.name, rev.name)).catch(() => undefined);
        if (manifest !== undefined) out.push(manifest);
      }
    }
    return out;
  }
}
