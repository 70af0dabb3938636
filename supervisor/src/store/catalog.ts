// The model catalog: validation of entries (errors name the offending field), lookup by id or
// alias (the one place a client's model name becomes a canonical id), and loading user entries
// from a JSON file.

import { readFile } from 'node:fs/promises';
import { StoreError } from './core/errors.js';
import { SHA256_HEX } from './core/hash.js';
import { modelIdProblem, relativePathProblem } from './safe-path.js';
import { parseSource } from './core/source-spec.js';
import { CONVERT_KINDS, RUNTIMES, TASKS } from './core/types.js';
import type { CatalogEntry, CatalogFile, ConvertKind, Runtime, Task } from './core/types.js';

const ENTRY_KEYS = new Set(['id', 'source', 'subdir', 'files', 'task', 'runtime', 'convert', 'params', 'description', 'replicas', 'aliases']);
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
  if (raw['aliases'] !== undefined) entry.aliases = validateAliases(raw['aliases'], `${field}.aliases`);
  return Object.freeze(entry);
}

function validateAliases(raw: unknown, field: string): readonly string[] {
  if (!Array.isArray(raw)) throw invalid(field, 'must be an array of model names');
  const seen = new Set<string>();
  raw.forEach((alias, j) => {
    const problem = modelIdProblem(alias);
    if (problem !== undefined) throw invalid(`${field}[${j}]`, problem);
    if (seen.has(alias as string)) throw invalid(`${field}[${j}]`, `repeats '${String(alias)}'`);
    seen.add(alias as string);
  });
  return Object.freeze([...seen]);
}

/** An entry with the field name its errors use (e.g. `models[3]`). */
type Placed = readonly [entry: CatalogEntry, field: string];

/**
 * Maps every id and alias to its canonical id. Ids are indexed first, so a clash between an alias
 * and another entry's id or alias is reported on the alias (`models[i].aliases[j]`).
 */
function indexNames(placed: readonly Placed[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const [entry, field] of placed) {
    if (names.has(entry.id)) throw invalid(`${field}.id`, `repeats the model id '${entry.id}'`);
    names.set(entry.id, entry.id);
  }
  for (const [entry, field] of placed) {
    entry.aliases?.forEach((alias, j) => {
      const owner = names.get(alias);
      if (owner === undefined) names.set(alias, entry.id);
      else if (owner === alias) throw invalid(`${field}.aliases[${j}]`, `'${alias}' is the id of another model`);
      else throw invalid(`${field}.aliases[${j}]`, `'${alias}' is already an alias of '${owner}'`);
    });
  }
  return names;
}

/** An immutable set of catalog entries keyed by id, also found by their aliases. */
export class Catalog {
  readonly #entries: ReadonlyMap<string, CatalogEntry>;
  /** Every id and alias → canonical id. */
  readonly #names: ReadonlyMap<string, string>;

  /**
   * Validates `entries` (or takes already validated entries with their field names); duplicate ids,
   * and aliases that clash with an id or alias, are errors.
   */
  constructor(entries: readonly unknown[] = [], field = 'models', validated?: readonly Placed[]) {
    const placed = validated ?? entries.map((raw, i): Placed => [validateEntry(raw, `${field}[${i}]`), `${field}[${i}]`]);
    this.#names = indexNames(placed);
    this.#entries = new Map(placed.map(([entry]) => [entry.id, entry]));
  }

  /**
   * A new catalog with `other`'s entries added; entries of `other` replace those with the same id.
   * A replacing entry without `aliases` keeps the replaced entry's aliases; with them, replaces them.
   * Clashes are reported on `other`'s fields.
   */
  extend(other: Catalog): Catalog {
    const added = other.list().map((entry, i): Placed => {
      const old = this.#entries.get(entry.id);
      const kept = entry.aliases === undefined && old?.aliases !== undefined ? Object.freeze({ ...entry, aliases: old.aliases }) : entry;
      return [kept, `models[${i}]`];
    });
    const replaced = new Set(added.map(([e]) => e.id));
    const base = this.list().filter((e) => !replaced.has(e.id)).map((e): Placed => [e, `built-in '${e.id}'`]);
    return new Catalog([], 'models', [...base, ...added]);
  }

  /** Whether `name` is a catalog id or alias. */
  has(name: string): boolean {
    return this.#names.has(name);
  }

  /** The canonical id of an id or alias; throws STORE_NOT_FOUND naming it. */
  resolve(name: string): string {
    const id = this.#names.get(name);
    if (id === undefined) throw new StoreError('STORE_NOT_FOUND', `model '${name}' is not in the catalog`, { id: name });
    return id;
  }

  /** The entry of an id or alias (its `id` is the canonical one); throws STORE_NOT_FOUND naming it. */
  get(name: string): CatalogEntry {
    const entry = this.#entries.get(this.resolve(name));
    if (entry === undefined) throw new StoreError('STORE_NOT_FOUND', `model '${name}' is not in the catalog`, { id: name });
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
