// Test helper: a small model folder with deterministic content, and catalog entries pointing at it.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes } from '../core/hash.js';

export interface FixtureFile {
  readonly path: string;
  readonly data: Buffer;
  readonly sha256: string;
}

/** Deterministic pseudo-random bytes (xorshift), so checksums are stable between runs. */
export function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Writes `config.json` (small) and `onnx/model.bin` (`bigSize` bytes) into `folder`. */
export async function writeFixtureModel(folder: string, bigSize = 300_000): Promise<FixtureFile[]> {
  const files = [
    { path: 'config.json', data: Buffer.from(JSON.stringify({ hidden: 8, layers: 2 })) },
    { path: 'onnx/model.bin', data: bytes(bigSize, 12345) },
  ];
  for (const f of files) {
    await mkdir(join(folder, f.path, '..'), { recursive: true });
    await writeFile(join(folder, f.path), f.data);
  }
  return files.map((f) => ({ ...f, sha256: hashBytes(f.data) }));
}

/** A raw catalog entry for the fixture files. */
export function fixtureEntry(id: string, source: string, files: readonly FixtureFile[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, source, task: 'embeddings', runtime: 'onnxruntime',
    files: files.map((f) => ({ path: f.path, size: f.data.length, sha256: f.sha256 })),
    ...extra,
  };
}
