// Where tests find the repository, the built server and the shared test data. Shared data is
// required: a missing folder fails the test (never skips it).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot: string = process.env['TABAGENT_REPO_ROOT'] ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The built tabagent-server executable. */
export const serverCli: string = join(repoRoot, 'supervisor', 'dist', 'cli.js');

/** The shared test-data folder; throws when it is missing. */
export function sharedDir(): string {
  const dir = process.env['TABAGENT_SHARED_DIR'] ?? resolve(repoRoot, '..', 'shared');
  if (!existsSync(dir)) throw new Error(`shared test data not found at ${dir} (set TABAGENT_SHARED_DIR)`);
  return dir;
}

/** A file under shared/testdata/images. */
export function testImage(name: string): string {
  const p = join(sharedDir(), 'testdata', 'images', name);
  if (!existsSync(p)) throw new Error(`test image missing: ${p}`);
  return p;
}

/** A committed fixture under tests/data (e.g. `speech/quick-brown-fox.wav`); throws when it is missing. */
export function testData(relPath: string): string {
  const p = join(repoRoot, 'tests', 'data', relPath);
  if (!existsSync(p)) throw new Error(`test fixture missing: ${p}`);
  return p;
}
