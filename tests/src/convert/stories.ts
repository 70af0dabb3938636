// Test helpers: read the shared stories260K files, convert them, and load them through the text engine.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertLlama2c } from '@tabagent/converters/llama2c';
import { loadTextModel, type TextModel } from '../../../ml-service/dist/text/transformers/index.js';
import { sharedDir } from '../support/paths.js';

/** Reads a file of the stories260K test model; throws (failing the test) when it is missing. */
export function storiesFile(name: string): Uint8Array {
  const path = join(sharedDir(), 'models', 'stories260K', name);
  if (!existsSync(path)) throw new Error(`test data missing: ${path} (set TABAGENT_SHARED_DIR)`);
  return new Uint8Array(readFileSync(path));
}

export function convertStories(withModel = true): Map<string, Uint8Array> {
  return convertLlama2c({
    checkpoint: storiesFile('stories260K.bin'),
    tokenizerBin: storiesFile('tok512.bin'),
    ...(withModel ? { tokenizerModel: storiesFile('tok512.model') } : {}),
  });
}

/** A readFile callback over an in-memory folder; missing files reject with code ENOENT. */
export function mapReader(files: ReadonlyMap<string, Uint8Array>, log: string[] = []): (path: string) => Promise<Uint8Array> {
  return async (path) => {
    log.push(path);
    const bytes = files.get(path);
    if (!bytes) throw Object.assign(new Error(`no such file: ${path}`), { code: 'ENOENT' });
    return bytes;
  };
}

/** Converts stories260K and loads it in-process. */
export async function loadStories(threads = 2): Promise<TextModel> {
  return loadTextModel({ id: 'karpathy/stories260K', readFile: mapReader(convertStories()), threads });
}
