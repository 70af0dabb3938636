// Where benchmarks find the repository, the built executables, the shared test data and their
// scratch folders (under the repository's gitignored .cache/).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file compiles to scripts/dist/bench-support/). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The built tabagent-server executable. */
export const serverCli: string = join(repoRoot, 'supervisor', 'dist', 'cli.js');

/** Scratch folder of one benchmark. */
export function benchDir(name: string): string {
  return join(repoRoot, '.cache', `bench-${name}`);
}

/** The model cache shared with the test run (models pulled once are reused). */
export function sharedModelCache(): string {
  return process.env['TABAGENT_TEST_CACHE'] ?? join(repoRoot, '.cache', 'test-model-cache');
}

/** The shared test-data folder (`TABAGENT_SHARED_DIR`, else beside the repository); throws when missing. */
export function sharedDir(): string {
  const dir = process.env['TABAGENT_SHARED_DIR'] ?? resolve(repoRoot, '..', 'shared');
  if (!existsSync(dir)) throw new Error(`shared test data not found at ${dir} (set TABAGENT_SHARED_DIR)`);
  return dir;
}
