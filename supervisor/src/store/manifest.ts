// Reading and writing the per-model manifest (`.manifest.json` beside the model's files).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './fs-atomic.js';
import type { LocalManifest, ManifestFile } from './core/types.js';

export const MANIFEST_NAME = '.manifest.json';

function isFileList(v: unknown): v is ManifestFile[] {
  return Array.isArray(v) && v.every((f) => typeof f === 'object' && f !== null
    && typeof (f as ManifestFile).path === 'string'
    && typeof (f as ManifestFile).size === 'number'
    && typeof (f as ManifestFile).sha256 === 'string');
}

/** Reads the manifest in `dir`; a missing or unreadable manifest means "not pulled" (undefined). */
export async function readManifest(dir: string): Promise<LocalManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_NAME), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = data as Partial<LocalManifest> | null;
  if (m === null || typeof m !== 'object' || m.schemaVersion !== 1 || typeof m.id !== 'string'
    || !isFileList(m.files) || !isFileList(m.converted)) {
    return undefined;
  }
  return Object.freeze({ ...(m as LocalManifest), dir });
}

/** Writes the manifest atomically; `dir` itself is not serialized. */
export async function writeManifest(manifest: LocalManifest): Promise<void> {
  const { dir, ...rest } = manifest;
  await writeFileAtomic(join(dir, MANIFEST_NAME), `${JSON.stringify(rest, null, 2)}\n`);
}
