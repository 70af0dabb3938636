// Versions of node and the runtimes, reported by Runtime.Status.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Package versions keyed by package name, plus "node". */
export function runtimeVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const pkg of ['onnxruntime-node', '@huggingface/transformers', 'sharp']) {
    const v = packageVersion(pkg);
    if (v) out[pkg] = v;
  }
  return out;
}

function packageVersion(name: string): string | undefined {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve(name));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    if (!existsSync(p)) continue;
    const json = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (json.name === name) return json.version;
  }
  return undefined;
}
