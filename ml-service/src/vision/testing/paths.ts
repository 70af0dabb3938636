// Locations used by tests: the repository root, its cache folder and the shared test data beside it.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is compiled to ml-service/dist/vision/testing/). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
}

export function cacheDir(): string {
  return join(repoRoot(), '.cache');
}

/** `TABAGENT_SHARED_DIR`, else `<repo root>/../shared`; throws (tests must fail, not skip) when missing. */
export function sharedDir(): string {
  const dir = process.env['TABAGENT_SHARED_DIR'] ?? resolve(repoRoot(), '..', 'shared');
  if (!existsSync(join(dir, 'testdata', 'images'))) {
    throw new Error(`shared test data not found at ${dir} (set TABAGENT_SHARED_DIR)`);
  }
  return dir;
}

export function testImagePath(name: string): string {
  return join(sharedDir(), 'testdata', 'images', name);
}
