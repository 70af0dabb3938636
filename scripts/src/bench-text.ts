// bench:text — stories260K generation (256 greedy tokens) in-process vs through tabagent-server,
// llama.cpp (the GGUF conversion) vs transformers.js vs the llama2.c C reference (--generation-only stops there),
// and Universal Sentence Encoder embeddings/s at concurrency 1 and 16 with and without dynamic batching.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { HealthClient, grpcChannelOptions } from '@tabagent/common';
import { Pooling, TextClient, type EmbedResponse, type GenerateRequest, type GenerateResponse } from '@tabagent/protos/v1/text';
import { convertLlama2c } from '@tabagent/converters/llama2c';
import { DEFAULT_ENTRIES } from '../../supervisor/dist/store/catalog-defaults.js';
import { generate, loadTextModel } from '../../ml-service/dist/text/transformers/index.js';
import { figure, printSummary } from './bench-support/summary.js';
import { cReference } from './bench-support/c-reference.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = process.env['TABAGENT_SHARED_DIR'] ?? resolve(root, '..', 'shared');
const storiesDir = join(shared, 'models', 'stories260K');
const work = join(root, '.cache', 'bench-text');
const TOKENS = 256;
const RUNS = 15;
const SENTENCES = 1000;
const EMBED_MODEL = 'google/universal-sentence-encoder-lite';

/** Client-side timing of one generation. */
interface GenTiming { ttftMs: number; tokensPerSecond: number; tokens: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timing = (start: number, first: number, end: number, tokens: number): GenTiming =>
  ({ ttftMs: first - start, tokensPerSecond: (tokens - 1) / ((end - first) / 1000), tokens });

/** Loads the converted model in this process; returns one-generation runner and dispose. */
async function inProcess(): Promise<{ run(): Promise<GenTiming>; dispose(): Promise<void> }> {
  const read = (n: string): Uint8Array => new Uint8Array(readFileSync(join(storiesDir, n)));
  const files = convertLlama2c({ checkpoint: read('stories260K.bin'), tokenizerBin: read('tok512.bin'), tokenizerModel: read('tok512.model') });
  const model = await loadTextModel({
    id: 'karpathy/stories260K', threads: 1, // as the catalog's params.threads for this model
    readFile: async (p) => files.get(p) ?? Promise.reject(Object.assign(new Error(p), { code: 'ENOENT' })),
  });
  const run = async (): Promise<GenTiming> => {
    const start = performance.now();
    let first = 0;
    let tokens = 0;
    for await (const e of generate(model, { prompt: '', maxNewTokens: TOKENS, temperature: 0 })) {
      if (e.type === 'delta') first ||= performance.now();
      else tokens = e.completionTokens;
    }
    return timing(start, first, performance.now(), tokens);
  };
  return { run, dispose: () => model.dispose() };
}

/** A tabagent-server process started for the bench. */
interface Server { proc: ChildProcess; address: string; stop(): Promise<void> }

async function startServer(extra: string[]): Promise<Server> {
  const args = [join(root, 'supervisor', 'dist', 'cli.js'), '--mode', 'all', '--port', '0', '--http-port', '0', '--log-level', 'info',
    '--cache-dir', process.env['TABAGENT_TEST_CACHE'] ?? join(root, '.cache', 'test-model-cache'), '--shared-models-dir', join(shared, 'models'), ...extra];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((res, rej) => {
    const onLine = (line: string): void => {
      if (line.includes('"msg":"tabagent-server listening"')) res(Number((JSON.parse(line) as { port: number }).port));
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', (code) => rej(new Error(`tabagent-server exited with ${code}`)));
  });
  // The listening line (info level) gives the port; then wait for the ML child (health "tabagent.ml") to serve.
  const address = `127.0.0.1:${port}`;
  const health = new HealthClient(address);
  await new Promise<void>((res) => {
    const stop = health.watch('tabagent.ml', (s) => {
      if (s === 'SERVING') {
        stop();
        res();
      }
    }, () => undefined);
  });
  health.close();
  return {
    proc, address,
    stop: () => new Promise((res) => {
      proc.once('exit', () => res());
      proc.kill('SIGTERM');
    }),
  };
}

function generateRemote(client: TextClient, model = 'karpathy/stories260K'): Promise<GenTiming> {
  const req: GenerateRequest = { model, prompt: '', sampling: { maxNewTokens: TOKENS, temperature: 0, topK: 0, stop: [] } };
  return new Promise((res, rej) => {
    const start = performance.now();
    let first = 0;
    let tokens = 0;
    const s = client.generate(req, new Metadata(), { deadline: new Date(Date.now() + 120_000) });
    s.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        first ||= performance.now();
        tokens += r.delta.tokenIds.length;
      }
    });
    s.on('error', rej);
    s.on('end', () => res(timing(start, first, performance.now(), tokens)));
  });
}

function embedOne(client: TextClient, text: string): Promise<EmbedResponse> {
  return new Promise((res, rej) => {
    client.embed({ model: EMBED_MODEL, texts: [text], pooling: Pooling.POOLING_UNSPECIFIED }, new Metadata(), { deadline: new Date(Date.now() + 600_000) },
      (err: ServiceError | null, r: EmbedResponse) => (err ? rej(err) : res(r)));
  });
}

/** Embeddings per second for SENTENCES one-sentence requests, `concurrency` in flight. */
async function embedRate(client: TextClient, sentences: readonly string[], concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < sentences.length) {
      const r = await embedOne(client, sentences[next++]!);
      if (r.dimensions !== 512) throw new Error(`unexpected dimensions ${r.dimensions}`);
    }
  }));
  return sentences.length / ((performance.now() - started) / 1000);
}

function sentences(): string[] {
  const who = ['The cat', 'A small dog', 'My neighbour', 'The old teacher', 'A tired pilot', 'The market', 'Our team', 'The river'];
  const did = ['walked past', 'looked at', 'talked about', 'forgot', 'painted', 'measured', 'sold', 'found'];
  const what = ['the red house', 'a quiet morning', 'the stock prices', 'an empty train', 'the garden wall', 'some fresh bread', 'the final report', 'a broken clock'];
  return Array.from({ length: SENTENCES }, (_, i) => `${who[i % 8]} ${did[Math.floor(i / 8) % 8]} ${what[Math.floor(i / 64) % 8]} on day ${i}.`);
}

/** A catalog file that turns dynamic batching off for the embedding model. */
function unbatchedCatalog(): string {
  const entry = DEFAULT_ENTRIES.find((e) => e.id === EMBED_MODEL);
  if (!entry) throw new Error(`${EMBED_MODEL} is not in the default catalog`);
  mkdirSync(work, { recursive: true });
  const file = join(work, 'catalog-unbatched.json');
  writeFileSync(file, JSON.stringify({ models: [{ ...entry, params: { ...entry.params, dynamicBatching: false } }] }, null, 2));
  return file;
}

/**
 * Generation (a) in-process, (b) through the server on transformers.js and (c) through the same
 * server on llama.cpp, runs alternated so all see the same machine load.
 */
async function generationBench(): Promise<{ a: GenTiming[]; b: GenTiming[]; c: GenTiming[] }> {
  const local = await inProcess();
  const server = await startServer([]);
  const client = new TextClient(server.address, credentials.createInsecure(), grpcChannelOptions());
  const a: GenTiming[] = [];
  const b: GenTiming[] = [];
  const c: GenTiming[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      const x = await local.run();
      const y = await generateRemote(client);
      const z = await generateRemote(client, 'karpathy/stories260K-gguf');
      if (x.tokens !== TOKENS || y.tokens !== TOKENS || z.tokens !== TOKENS) throw new Error(`generated ${x.tokens} / ${y.tokens} / ${z.tokens} tokens, expected ${TOKENS}`);
      if (run > 0) {
        // run 0 warms all up (and pulls, converts and loads the server's models)
        a.push(x);
        b.push(y);
        c.push(z);
      }
    }
  } finally {
    client.close();
    await server.stop();
    await local.dispose();
  }
  return { a, b, c };
}

/** Embeddings/s with batching on and off; both servers run at once and the measurements alternate. */
async function embedBench(): Promise<Record<'on' | 'off', { c1: number; c16: number }>> {
  const servers = { on: await startServer([]), off: await startServer(['--catalog', unbatchedCatalog()]) };
  const clients = {
    on: new TextClient(servers.on.address, credentials.createInsecure(), grpcChannelOptions()),
    off: new TextClient(servers.off.address, credentials.createInsecure(), grpcChannelOptions()),
  };
  try {
    const list = sentences();
    await embedRate(clients.on, list.slice(0, 32), 4); // load + warm up
    await embedRate(clients.off, list.slice(0, 32), 4);
    const off1 = await embedRate(clients.off, list, 1);
    const on1 = await embedRate(clients.on, list, 1);
    const off16 = await embedRate(clients.off, list, 16);
    const on16 = await embedRate(clients.on, list, 16);
    return { on: { c1: on1, c16: on16 }, off: { c1: off1, c16: off16 } };
  } finally {
    clients.on.close();
    clients.off.close();
    await Promise.all([servers.on.stop(), servers.off.stop()]);
  }
}

async function main(): Promise<void> {
  const fmt = (n: number, d = 1): string => n.toFixed(d);
  const gen = await generationBench();
  const a = { tps: median(gen.a.map((t) => t.tokensPerSecond)), ttft: median(gen.a.map((t) => t.ttftMs)) };
  const b = { tps: median(gen.b.map((t) => t.tokensPerSecond)), ttft: median(gen.b.map((t) => t.ttftMs)) };
  console.log(`stories260K, ${TOKENS} greedy tokens from BOS, median of ${RUNS} warm runs each, (a) and (b) alternated (tokens/s after the first token)`);
  console.log(`  (a) in-process engine       ${fmt(a.tps, 0).padStart(6)} tokens/s   TTFT ${fmt(a.ttft, 2)} ms`);
  console.log(`  (b) through tabagent-server ${fmt(b.tps, 0).padStart(6)} tokens/s   TTFT ${fmt(b.ttft, 2)} ms`);
  console.log(`  ratio (b)/(a) tokens/s: ${fmt(b.tps / a.tps, 3)}  (target >= 0.95)`);
  const c = { tps: median(gen.c.map((t) => t.tokensPerSecond)), ttft: median(gen.c.map((t) => t.ttftMs)) };
  const ref = cReference(shared, work, TOKENS);
  console.log(`stories260K, same prompt and runs: llama.cpp (karpathy/stories260K-gguf) vs transformers.js (b) vs the llama2.c C reference`);
  console.log(`  (c) llama.cpp through tabagent-server ${fmt(c.tps, 0).padStart(6)} tokens/s   TTFT ${fmt(c.ttft, 2)} ms`);
  console.log(`  (b) transformers.js, as above        ${fmt(b.tps, 0).padStart(6)} tokens/s`);
  console.log(`  (r) llama2.c C reference             ${ref.tokensPerSecond === undefined ? '     ?' : fmt(ref.tokensPerSecond, 0).padStart(6)} tokens/s   (${ref.source})`);
  console.log(`  ratio (c)/(b) tokens/s: ${fmt(c.tps / b.tps, 2)}${ref.tokensPerSecond ? `   ratio (c)/(r): ${fmt(c.tps / ref.tokensPerSecond, 2)}` : ''}`);
  if (process.argv.includes('--generation-only')) return;

  const e = await embedBench();
  console.log(`${EMBED_MODEL}, ${SENTENCES} one-sentence Embed requests through tabagent-server (embeddings/s)`);
  console.log(`  dynamic batching off:  concurrency 1 ${fmt(e.off.c1).padStart(7)}   concurrency 16 ${fmt(e.off.c16).padStart(7)}`);
  console.log(`  dynamic batching on:   concurrency 1 ${fmt(e.on.c1).padStart(7)}   concurrency 16 ${fmt(e.on.c16).padStart(7)}`);
  console.log(`  ratio on/off at concurrency 16: ${fmt(e.on.c16 / e.off.c16, 2)}  (target >= 3)`);
  console.log(`  ratio on/off at concurrency 1:  ${fmt(e.on.c1 / e.off.c1, 2)}`);
  printSummary('text', [figure('Generate server / in-process tokens/s', b.tps / a.tps, '×', { text: '≥ 0.95', met: b.tps / a.tps >= 0.95 }), figure('Generate tokens/s', b.tps, '/s'),
    figure('Embed batching on/off @16', e.on.c16 / e.off.c16, '×', { text: '≥ 3', met: e.on.c16 / e.off.c16 >= 3 }), figure('Embed @16 batching on', e.on.c16, '/s')]);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:text failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
