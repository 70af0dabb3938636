// Test helper: temp folders and the location of the shared test data beside the repository.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is compiled to `supervisor/dist/store/test-support/`). */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
}

/** `$TABAGENT_SHARED_DIR`, else `<repo>/../shared`; throws (so tests fail) when it is missing. */
export function sharedDir(): string {
  const dir = process.env['TABAGENT_SHARED_DIR'] ?? join(repoRoot(), '..', 'shared');
  if (!existsSync(dir)) throw new Error(`shared test data folder ${dir} is missing (set TABAGENT_SHARED_DIR)`);
  return dir;
}

/** A fresh temp folder and its cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tabagent-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
