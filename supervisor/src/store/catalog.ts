// The model catalog: validation of entries (errors name the offending field), lookup by id,
// and loading user entries from a JSON file.

import { readFile } from 'node:fs/promises';
import { StoreError } from './core/errors.js';
import { SHA256_HEX } from './core/hash.js';
import { modelIdProblem, relativePathProblem } from './safe-path.js';
import { parseSource } from './core/source-spec.js';
import { CONVERT_KINDS, RUNTIMES, TASKS } from './core/types.js';
import type { CatalogEntry, CatalogFile, ConvertKind, Runtime, Task } from './core/types.js';

const ENTRY_KEYS = new Set(['id', 'source', 'subdir', 'files', 'task', 'runtime', 'convert', 'params', 'description', 'replicas']);
const FILE_KEYS = new Set(['path', 'size', 'sha256']);

function invalid(field: string, message: string): StoreError {
  return new StoreError('STORE_INVALID_CATALOG', `catalog field ${field} ${message}`, { field });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

function rejectUnknownKeys(raw: Record<string, unknown>, known: Set<string>, field: string): void {
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw invalid(`${field}.${key}`, 'is not a known field');
  }
}

function validateFile(raw: unknown, field: string): CatalogFile {
  if (!isRecord(raw)) throw invalid(field, 'must be an object');
  rejectUnknownKeys(raw, FILE_KEYS, field);
  const pathProblem = relativePathProblem(raw['path']);
  if (pathProblem !== undefined) throw invalid(`${field}.path`, pathProblem);
  const file: { path: string; size?: number; sha256?: string } = { path: raw['path'] as string };
  if (raw['size'] !== undefined) {
    const size = raw['size'];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw invalid(`${field}.size`, 'must be a non-negative integer');
    }
    file.size = size;
  }
  if (raw['sha256'] !== undefined) {
    if (typeof raw['sha256'] !== 'string' || !SHA256_HEX.test(raw['sha256'])) {
      throw invalid(`${field}.sha256`, 'must be 64 lower-case hex characters');
    }
    file.sha256 = raw['sha256'];
  }
  return Object.freeze(file);
}

/** Validates one raw entry; `field` prefixes error field names (e.g. `models[3]`). */
export function validateEntry(raw: unknown, field = 'entry'): CatalogEntry {
  if (!isRecord(raw)) throw invalid(field, 'must be an object');
  rejectUnknownKeys(raw, ENTRY_KEYS, field);
  const idProblem = modelIdProblem(raw['id']);
  if (idProblem !== undefined) throw invalid(`${field}.id`, idProblem);
  try {
    parseSource(raw['source'], `${field}.source`);
  } catch (err) {
    throw new StoreError('STORE_INVALID_CATALOG', `catalog field ${(err as Error).message}`, { field: `${field}.source` });
  }
  const files = raw['files'];
  if (!Array.isArray(files) || files.length === 0) throw invalid(`${field}.files`, 'must be a non-empty array');
  const validFiles = files.map((f, i) => validateFile(f, `${field}.files[${i}]`));
  const seen = new Set<string>();
  validFiles.forEach((f, i) => {
    if (seen.has(f.path)) throw invalid(`${field}.files[${i}].path`, `repeats '${f.path}'`);
    seen.add(f.path);
  });
  const entry: {
    -readonly [K in keyof CatalogEntry]: CatalogEntry[K];
  } = {
    id: raw['id'] as string,
    source: raw['source'] as string,
    files: Object.freeze(validFiles),
    task: oneOf<Task>(raw['task'], TASKS, `${field}.task`),
    runtime: oneOf<Runtime>(raw['runtime'], RUNTIMES, `${field}.runtime`),
  };
  if (raw['subdir'] !== undefined) {
    const problem = relativePathProblem(raw['subdir']);
    if (problem !== undefined) throw invalid(`${field}.subdir`, problem);
    entry.subdir = raw['subdir'] as string;
  }
  if (raw['convert'] !== undefined) entry.convert = oneOf<ConvertKind>(raw['convert'], CONVERT_KINDS, `${field}.convert`);
  if (raw['params'] !== undefined) {
    if (!isRecord(raw['params'])) throw invalid(`${field}.params`, 'must be an object');
    entry.params = Object.freeze(structuredClone(raw['params']));
  }
  if (raw['description'] !== undefined) {
    if (typeof raw['description'] !== 'string') throw invalid(`${field}.description`, 'must be a string');
    entry.description = raw['description'];
  }
  if (raw['replicas'] !== undefined) {
    const n = raw['replicas'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw invalid(`${field}.replicas`, 'must be an integer >= 0 (0 = every ML node)');
    entry.replicas = n;
  }
  return Object.freeze(entry);
}

/** An immutable set of catalog entries keyed by id. */
export class Catalog {
  readonly #entries: ReadonlyMap<string, CatalogEntry>;

  /** Validates `entries`; duplicate ids within one list are an error. */
  constructor(entries: readonly unknown[] = [], field = 'models') {
    const map = new Map<string, CatalogEntry>();
    entries.forEach((raw, i) => {
      const entry = validateEntry(raw, `${field}[${i}]`);
      if (map.has(entry.id)) throw invalid(`${field}[${i}].id`, `repeats the model id '${entry.id}'`);
      map.set(entry.id, entry);
    });
    this.#entries = map;
  }

  /** A new catalog with `other`'s entries added; entries of `other` replace those with the same id. */
  extend(other: Catalog): Catalog {
    const merged = new Map(this.#entries);
    for (const entry of other.list()) merged.set(entry.id, entry);
    return new Catalog([...merged.values()]);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The entry for `id`; throws STORE_NOT_FOUND naming the id. */
  get(id: string): CatalogEntry {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      throw new StoreError('STORE_NOT_FOUND', `model '${id}' is not in the catalog`, { id });
    }
    return entry;
  }

  list(): CatalogEntry[] {
    return [...this.#entries.values()];
  }
}

/** Parses catalog JSON text: an array of entries or `{"models": [...]}`. */
export function parseCatalogJson(text: string, origin = 'catalog'): Catalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new StoreError('STORE_INVALID_CATALOG', `${origin} is not valid JSON: ${(err as Error).message}`, { field: '' });
  }
  if (Array.isArray(data)) return new Catalog(data, 'models');
  if (isRecord(data) && Array.isArray(data['models'])) return new Catalog(data['models'], 'models');
  throw invalid('models', 'must be an array of entries (the file holds an array or {"models": [...]})');
}

/** Loads user catalog entries from a JSON file (`--catalog FILE`). */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StoreError('STORE_NOT_FOUND', `catalog file ${path} cannot be read: ${(err as Error).message}`, { path }, { cause: err });
  }
  return parseCatalogJson(text, `catalog file ${path}`);
}
