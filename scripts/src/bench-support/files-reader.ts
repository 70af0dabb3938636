// The child side of bench:files, run as its own process like the ML child: reads one model file
// through the real ModelFilesClient (into memory, sha256 verified) and, alternating, as a plain local
// file (fs.readFile + sha256); prints the timings as one JSON line on stdout.
// Usage: node files-reader.js <endpoint> <model> <path> <local path> <sha256> <runs>; secret on stdin.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ModelFilesClient } from '../../../ml-service/dist/files/model-files-client.js';

/** What the reader prints. */
export interface ReaderResult {
  /** Milliseconds per warm plain read + hash. */
  readonly localMs: number[];
  /** Milliseconds per warm ModelFiles read (hash included). */
  readonly grpcMs: number[];
  /** CPU milliseconds (user + system) of this process per warm ModelFiles read. */
  readonly grpcCpuMs: number[];
}

async function secretFromStdin(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  throw new Error('no secret on stdin');
}

async function main(): Promise<void> {
  const [endpoint, model, path, localPath, sha256, runsText] = process.argv.slice(2);
  if (!endpoint || !model || !path || !localPath || !sha256 || !runsText) throw new Error('usage: files-reader <endpoint> <model> <path> <local> <sha256> <runs>');
  const runs = Number(runsText);
  const client = new ModelFilesClient(endpoint, await secretFromStdin());
  const result: ReaderResult = { localMs: [], grpcMs: [], grpcCpuMs: [] };
  try {
    for (let run = 0; run <= runs; run++) {
      let t0 = performance.now();
      const local = await readFile(localPath);
      const localSha = createHash('sha256').update(local).digest('hex');
      const localMs = performance.now() - t0;
      if (localSha !== sha256) throw new Error(`local read sha256 ${localSha} != ${sha256}`);
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const remote = await client.readFile(model, path, sha256);
      const grpcMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (remote.length !== local.length) throw new Error(`ModelFiles returned ${remote.length} bytes, expected ${local.length}`);
      if (run === 0) continue; // warm-up
      result.localMs.push(localMs);
      result.grpcMs.push(grpcMs);
      result.grpcCpuMs.push((cpu.user + cpu.system) / 1000);
    }
  } finally {
    client.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`files-reader failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
