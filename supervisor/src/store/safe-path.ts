// Path safety for the model cache: relative-path validation, id/revision folder names, and
// resolution that refuses anything (`..`, absolute paths, symlinks) escaping a root folder.

import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StoreError } from './core/errors.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+@=-]*$/;
const ID_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `p` is not a safe relative file path, or undefined when it is. */
export function relativePathProblem(p: unknown): string | undefined {
  if (typeof p !== 'string' || p.length === 0) return 'must be a non-empty string';
  if (p.length > 1024) return 'is longer than 1024 characters';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/') || isAbsolute(p) || /^[A-Za-z]:/.test(p)) return 'must be relative';
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return `has an invalid segment '${segment}'`;
    if (!SEGMENT.test(segment)) return `has a segment with unsupported characters '${segment}'`;
  }
  return undefined;
}

/** Why `id` is not a valid model id (`org/name` style), or undefined when it is. */
export function modelIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'must be a non-empty string';
  if (id.length > 200) return 'is longer than 200 characters';
  if (id.includes('--')) return "must not contain '--'";
  for (const segment of id.split('/')) {
    if (!ID_SEGMENT.test(segment)) return `has an invalid segment '${segment}'`;
  }
  return undefined;
}

/** Folder name of a model id in the cache: `org/name` → `org--name` (ids never contain `--`). */
export function idFolderName(id: string): string {
  const problem = modelIdProblem(id);
  if (problem !== undefined) {
    throw new StoreError('STORE_PERMISSION_DENIED', `model id ${JSON.stringify(id)} ${problem}`, { id });
  }
  return id.split('/').join('--');
}

/** Folder name of a revision: keeps safe characters, replaces the rest with `_`. */
export function revisionFolderName(revision: string): string {
  const cleaned = revision.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+/, '_');
  if (cleaned.length === 0 || cleaned.length > 128) {
    throw new StoreError('STORE_PERMISSION_DENIED', `revision ${JSON.stringify(revision)} cannot name a folder`, { revision });
  }
  return cleaned;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

async function realpathOfNearestExisting(target: string): Promise<string> {
  let current = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(current), ...rest.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = dirname(current);
      if (parent === current) return target;
      rest.push(current.slice(parent.length).replace(/^[/\\]+/, ''));
      current = parent;
    }
  }
}

function checkLexical(root: string, rel: string): { absRoot: string; target: string } {
  const problem = relativePathProblem(rel);
  if (problem !== undefined) {
    throw new StoreError('STORE_PERMISSION_DENIED', `path ${JSON.stringify(rel)} ${problem}`, { path: rel });
  }
  const absRoot = resolve(root);
  const target = resolve(absRoot, rel);
  if (!isInside(absRoot, target)) {
    throw new StoreError('STORE_PERMISSION_DENIED', `path ${JSON.stringify(rel)} escapes the model cache`, { path: rel });
  }
  return { absRoot, target };
}

async function checkReal(absRoot: string, target: string, rel: string): Promise<void> {
  const realRoot = await realpathOfNearestExisting(absRoot);
  const realTarget = await realpathOfNearestExisting(target);
  if (!isInside(realRoot, realTarget)) {
    throw new StoreError('STORE_PERMISSION_DENIED', `path ${JSON.stringify(rel)} leads outside the model cache through a symlink`, { path: rel });
  }
}

/**
 * Resolves `rel` under `root`, refusing `..`, absolute paths, and symlinks whose target lies
 * outside `root` (checked on the nearest existing ancestor). Throws STORE_PERMISSION_DENIED.
 */
export async function resolveInside(root: string, rel: string): Promise<string> {
  const { absRoot, target } = checkLexical(root, rel);
  await checkReal(absRoot, target, rel);
  return target;
}

/**
 * Like resolveInside, but only the folders leading to `rel` are checked for symlinks: the last
 * component may itself be a symlink, for callers that lstat it, open it with O_NOFOLLOW, or
 * replace it (a rename replaces the link, never its target).
 */
export async function resolveEntryInside(root: string, rel: string): Promise<string> {
  const { absRoot, target } = checkLexical(root, rel);
  await checkReal(absRoot, dirname(target), rel);
  return target;
}
