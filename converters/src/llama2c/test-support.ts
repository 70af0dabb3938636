// Test helper: reads the files of the shared stories260K test model.

import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared test-data folder: $TABAGENT_SHARED_DIR, else `<repo root>/../shared`. */
export function sharedDir(): string {
  const fromEnv = process.env.TABAGENT_SHARED_DIR;
  const repoRoot = process.env.TABAGENT_REPO_ROOT || resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
  return fromEnv && fromEnv !== '' ? fromEnv : resolve(repoRoot, '..', 'shared');
}

/** Reads a file of the stories260K test model; throws (failing the test) when it is missing. */
export function storiesFile(name: string): Uint8Array {
  const path = join(sharedDir(), 'models', 'stories260K', name);
  if (!existsSync(path)) throw new Error(`test data missing: ${path} (set TABAGENT_SHARED_DIR)`);
  return new Uint8Array(readFileSync(path));
}
