// Parses catalog `source` strings (`npm:`, `file:`, `hf:`, `https://`) into typed descriptors.

import { StoreError } from './errors.js';

export type SourceSpec =
  | { readonly kind: 'npm'; readonly name: string; readonly version: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'hf'; readonly repo: string; readonly revision: string }
  | { readonly kind: 'https'; readonly baseUrl: string };

const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const HF_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
const HF_REVISION = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function invalid(field: string, message: string): StoreError {
  return new StoreError('STORE_INVALID_CATALOG', `${field} ${message}`, { field });
}

/** Parses a source string; `field` names it in errors (e.g. `models[2].source`). */
export function parseSource(source: unknown, field = 'source'): SourceSpec {
  if (typeof source !== 'string' || source.length === 0) throw invalid(field, 'must be a non-empty string');
  if (source.startsWith('npm:')) {
    const spec = source.slice(4);
    const at = spec.lastIndexOf('@');
    const name = at > 0 ? spec.slice(0, at) : spec;
    const version = at > 0 ? spec.slice(at + 1) : '';
    if (!NPM_NAME.test(name)) throw invalid(field, `has an invalid npm package name '${name}'`);
    if (!EXACT_VERSION.test(version)) {
      throw invalid(field, `must pin an exact npm version (npm:<package>@<x.y.z>), got '${source}'`);
    }
    return { kind: 'npm', name, version };
  }
  if (source.startsWith('file:')) {
    const path = source.slice(5);
    if (path.length === 0 || path.includes('\0')) throw invalid(field, 'must name a folder after file:');
    return { kind: 'file', path };
  }
  if (source.startsWith('hf:')) {
    const spec = source.slice(3);
    const at = spec.indexOf('@');
    const repo = at >= 0 ? spec.slice(0, at) : spec;
    const revision = at >= 0 ? spec.slice(at + 1) : 'main';
    if (!HF_REPO.test(repo)) throw invalid(field, `has an invalid hub repository '${repo}'`);
    if (!HF_REVISION.test(revision) || revision.includes('..')) {
      throw invalid(field, `has an invalid hub revision '${revision}'`);
    }
    return { kind: 'hf', repo, revision };
  }
  if (source.startsWith('https://') || source.startsWith('http://')) {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw invalid(field, `is not a valid URL '${source}'`);
    }
    if (url.search !== '' || url.hash !== '') throw invalid(field, 'must be a base URL without query or fragment');
    const baseUrl = url.href.endsWith('/') ? url.href : `${url.href}/`;
    return { kind: 'https', baseUrl };
  }
  throw invalid(field, `must start with npm:, file:, hf:, https:// or http://, got '${source}'`);
}
