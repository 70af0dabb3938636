// bench:vision's standalone ML child: loads the given models from the model cache (no supervisor)
// and serves the child's gRPC services on a loopback port, printing {"address": ...} when ready.
// Usage: node bench-vision-child.js <threads> <model id>...
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@tabagent/common';
import { LoadedModels } from '../../ml-service/dist/runtime/loaded-models.js';
import { createOnnxLoader } from '../../ml-service/dist/runtime/onnx-loader.js';
import { startMlServer } from '../../ml-service/dist/server.js';
import { sharedModelCache } from './bench-support/paths.js';

interface CachedManifest {
  task: string;
  params: Record<string, unknown>;
  converted: { path: string; size: number; sha256: string }[];
}

async function modelDir(id: string): Promise<string> {
  const dir = join(sharedModelCache(), id.replace('/', '--'));
  const version = (await readdir(dir)).find((d) => !d.startsWith('.'));
  if (!version) throw new Error(`${id} is not in the model cache`);
  return join(dir, version);
}

async function main(): Promise<void> {
  const [threadsText, ...ids] = process.argv.slice(2);
  const log = createLogger({ proc: 'bench-ml', level: 'warn' });
  const loadedModels = new LoadedModels({
    loaders: [createOnnxLoader()], defaultThreads: Number(threadsText ?? 0), log,
    fileReader: (manifest) => async (path) => new Uint8Array(await readFile(join(await modelDir(manifest.model), path))),
  });
  for (const id of ids) {
    const m = JSON.parse(await readFile(join(await modelDir(id), '.manifest.json'), 'utf8')) as CachedManifest;
    await loadedModels.load({ model: id, task: m.task, runtime: 'onnxruntime', files: m.converted, options: undefined, paramsJson: JSON.stringify(m.params) });
  }
  const server = await startMlServer({ listen: '127.0.0.1:0', secret: '', loadedModels, log });
  process.stdout.write(`${JSON.stringify({ address: server.address })}\n`);
  process.once('SIGTERM', () => void server.stop(1000).then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
