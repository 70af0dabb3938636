// End-to-end: GET /metrics of a real tabagent-server in Prometheus text format, parsed properly
// (families, types, label escapes, cumulative buckets), scraped before and after real traffic: the
// request counter and duration histogram move by the requests made (by surface, method, model and
// status; HTTP calls are not counted again as the gRPC calls they make on loopback),
// the token counters by the usage the answers reported, time-to-first-token and inter-token latency
// by one per stream and one per token after the first, queue waits by one per request, the embedding
// batch sizes by the one batch an Embed of M texts makes, Track frames processed + dropped by the
// frames sent, pull bytes by the model's file sizes, one conversion per converted pull; gauges hold
// plausible values (RSS, child state, loaded model bytes equal to the loaded files' sizes); and the
// ML child restart counter moves by one after the child is killed.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ClientReadableStream } from '@grpc/grpc-js';
import { Pooling, type GenerateResponse } from '@tabagent/protos/v1/text';
import { TrackTask } from '@tabagent/protos/v1/vision';
import OpenAI, { NotFoundError } from 'openai';
import { call, connect, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { Scrape } from '../support/prom-text.js';
import { sharedTestCache, startServer, tempDir, waitServing, type ServerUnderTest } from '../support/server-process.js';
import { postImage } from './http-vision-helpers.js';
import { encodedFrame, openTrack } from './vision-helpers.js';

const LLM = 'karpathy/stories260K';
const FACE = 'mediapipe/face-detection-short';
const EMBED = 'google/universal-sentence-encoder-lite';
/** A copy of stories260K under a test-only id: its pull (fetch + conversion) is real in every run. */
const PULLED = 'metrics-e2e/stories260K';
const STORIES_FILES = ['stories260K.bin', 'tok512.bin', 'tok512.model'];
const CHAT = 'POST /v1/chat/completions';
const VISION = 'POST /v1/vision/faces';

/** A catalog with PULLED, served from a fresh folder (a new source path is a new cache revision). */
function pulledCatalog(dir: string): { catalog: string; bytes: number } {
  const models = join(dir, 'models');
  mkdirSync(models);
  const files = STORIES_FILES.map((f) => {
    copyFileSync(join(sharedDir(), 'models', 'stories260K', f), join(models, f));
    return { path: f, size: statSync(join(models, f)).size };
  });
  const catalog = join(dir, 'catalog.json');
  writeFileSync(catalog, JSON.stringify({
    models: [{
      id: PULLED, source: `file:${models}`, files, task: 'text-generation', runtime: 'transformers', convert: 'llama2c-to-transformers',
      params: { checkpoint: 'stories260K.bin', tokenizer: 'tok512.bin', tokenizerModel: 'tok512.model', threads: 1 },
    }],
  }));
  return { catalog, bytes: files.reduce((s, f) => s + f.size, 0) };
}

/** The converted files' sizes of PULLED in the cache (what the child loads), checked against the disk. */
function convertedBytes(modelsDir: string): number {
  const idDir = join(sharedTestCache(), 'metrics-e2e--stories260K');
  for (const rev of readdirSync(idDir)) {
    const manifest = JSON.parse(readFileSync(join(idDir, rev, '.manifest.json'), 'utf8')) as { source: string; converted: Array<{ path: string; size: number }> };
    if (manifest.source !== `file:${modelsDir}`) continue;
    assert.ok(manifest.converted.length > 0);
    for (const f of manifest.converted) assert.equal(statSync(join(idDir, rev, f.path)).size, f.size, f.path);
    return manifest.converted.reduce((s, f) => s + f.size, 0);
  }
  throw new Error(`no cached revision of ${PULLED} from ${modelsDir}`);
}

function drain<T>(stream: ClientReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (m: T) => out.push(m));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

describe('GET /metrics after real traffic', () => {
  let server: ServerUnderTest;
  let base: string;
  let openai: OpenAI;
  let c: PublicClients;
  let work: string;
  let pulled: { catalog: string; bytes: number };
  const scrape = async (): Promise<Scrape> => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return new Scrape(await res.text());
  };
  const moved = (a: Scrape, b: Scrape) => (name: string, labels: Record<string, string> = {}): number => b.value(name, labels) - a.value(name, labels);

  before(async () => {
    work = tempDir();
    pulled = pulledCatalog(work);
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models'), '--catalog', pulled.catalog] });
    base = `http://127.0.0.1:${server.httpPort}`;
    openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });
    c = connect(server.address);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop();
    rmSync(join(sharedTestCache(), 'metrics-e2e--stories260K'), { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('counts HTTP requests, durations, tokens and token timing by the amounts of the traffic', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me a story.' }];
    // Load the model first so the counted requests are the ones below.
    await openai.chat.completions.create({ model: LLM, messages, max_tokens: 2 });
    await openai.embeddings.create({ model: EMBED, input: 'warm' });
    const start = await scrape();
    const vectors = await openai.embeddings.create({ model: EMBED, input: ['one', 'two'] });
    assert.equal(vectors.data.length, 2);
    const a = await openai.chat.completions.create({ model: LLM, messages, temperature: 0, max_tokens: 12 });
    const b = await openai.chat.completions.create({ model: LLM, messages, temperature: 0.8, seed: 5, max_tokens: 20 });
    const stream = await openai.chat.completions.create({ model: LLM, messages, temperature: 0, max_tokens: 7, stream: true, stream_options: { include_usage: true } });
    let streamed: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    const missing = await openai.chat.completions.create({ model: 'nobody/no-such-model', messages }).then(() => undefined, (e: unknown) => e);
    assert.ok(missing instanceof NotFoundError);
    const end = await scrape();

    const delta = moved(start, end);
    const ok = { surface: 'http', method: CHAT, model: LLM, code: '200' };
    assert.equal(delta('tabagent_requests_total', ok), 3);
    assert.equal(delta('tabagent_requests_total', { surface: 'http', method: CHAT, model: '', code: '404' }), 1);
    assert.equal(delta('tabagent_request_duration_seconds_count', { surface: 'http', method: CHAT, model: LLM }), 3);
    const seconds = delta('tabagent_request_duration_seconds_sum', { surface: 'http', method: CHAT, model: LLM });
    assert.ok(seconds > 0, `duration sum moved by ${seconds}`);
    assert.equal(delta('tabagent_request_duration_seconds_bucket', { surface: 'http', method: CHAT, model: LLM, le: '+Inf' }), 3);
    assert.ok(streamed);
    const usages = [a.usage!, b.usage!, streamed];
    const completion = usages.reduce((s, u) => s + u.completion_tokens, 0);
    assert.equal(delta('tabagent_generated_tokens_total', { model: LLM }), completion);
    assert.equal(delta('tabagent_prompt_tokens_total', { model: LLM }), usages.reduce((s, u) => s + u.prompt_tokens, 0));
    assert.equal(a.usage!.completion_tokens, 12);
    // HTTP embeddings and chats run the public Text handlers in process: counted once, as HTTP.
    assert.equal(delta('tabagent_requests_total', { surface: 'http', method: 'POST /v1/embeddings', model: EMBED, code: '200' }), 1);
    assert.equal(end.samples('tabagent_requests_total', { surface: 'grpc', method: '/tabagent.v1.Text/Embed' }).length, 0);
    assert.equal(end.samples('tabagent_requests_total', { surface: 'grpc', method: '/tabagent.v1.Text/Chat' }).length, 0);
    // Their token timing is labelled with the surface.
    const timing = { surface: 'http', method: 'Chat', model: LLM };
    assert.equal(delta('tabagent_time_to_first_token_seconds_count', timing), 3);
    assert.ok(delta('tabagent_time_to_first_token_seconds_sum', timing) > 0);
    assert.equal(delta('tabagent_inter_token_latency_seconds_count', timing), completion - 3);
    assert.equal(delta('tabagent_queue_wait_seconds_count', { model: LLM }), 3);
    // Prometheus naming: one prefix, _total on counters and only on counters, base units.
    for (const f of end.families.values()) {
      assert.ok(f.name.startsWith('tabagent_'), f.name);
      assert.equal(f.type === 'counter', f.name.endsWith('_total'), `${f.name} is a ${f.type}`);
      assert.ok(!/_(ms|us|milliseconds|kb|mb)(_|$)/.test(f.name), f.name);
      assert.ok(f.help.length > 0, `${f.name} has help`);
    }
  });

  it('moves every listed metric by the traffic: vision, Track frames, Generate, Embed, a pull; gauges plausible', async () => {
    const N_VISION = 3;
    const N_FRAMES = 12;
    const K = 24;
    const M = 5;
    const meta = new Metadata();
    // Warm-up: the models are loaded (and pulled) before the first scrape.
    assert.equal((await postImage(base, 'faces', 'portrait.jpg', 'raw')).status, 200);
    await call(c.text, c.text.embed, { model: EMBED, texts: ['warm'], pooling: Pooling.POOLING_UNSPECIFIED }, { timeoutMs: 300_000 });
    const start = await scrape();

    for (let i = 0; i < N_VISION; i++) assert.equal((await postImage(base, 'faces', 'portrait.jpg', 'raw')).status, 200);
    // A burst of Track frames: each is answered, or listed as dropped, once.
    const track = openTrack(c);
    const frame = encodedFrame('portrait.jpg');
    for (let i = 0; i < N_FRAMES; i++) track.send({ timestampUs: 1_000 + i, task: TrackTask.TRACK_TASK_FACES, frame });
    const results = await track.finish();
    const answered = results.filter((r) => r.status === '').length;
    const dropped = results.reduce((s, r) => s + r.droppedTimestampsUs.length + (r.status === '' ? 0 : 1), 0);
    assert.equal(answered + dropped, N_FRAMES);
    const gen = await drain(c.text.generate({ model: LLM, prompt: '', sampling: { maxNewTokens: K, temperature: 0, topK: 0, stop: [] }, addBos: undefined }, meta));
    const done = gen.find((r): r is GenerateResponse & { done: NonNullable<GenerateResponse['done']> } => r.done !== undefined)?.done;
    assert.equal(done?.completionTokens, K);
    const texts = Array.from({ length: M }, (_v, i) => `sentence number ${i}`);
    const embedded = await call(c.text, c.text.embed, { model: EMBED, texts, pooling: Pooling.POOLING_UNSPECIFIED }, { timeoutMs: 60_000 });
    assert.equal(embedded.embeddings.length, M);
    const unknown = await drain(c.text.generate({ model: 'nobody/none', prompt: '', sampling: undefined, addBos: undefined }, meta)).then(() => undefined, (e: { code?: number }) => e);
    assert.equal(unknown?.code, status.NOT_FOUND);
    const progress = await drain(c.models.pullModel({ model: PULLED, force: false }));
    assert.ok(progress.length > 0);
    await call(c.models, c.models.loadModel, { model: PULLED, options: { devices: [], threads: 0, keepAliveSeconds: -1 } }, { timeoutMs: 120_000 });
    const missing = await call(c.models, c.models.getModel, { model: 'nobody/none' }).then(() => undefined, (e: { code?: number }) => e);
    assert.equal(missing?.code, status.NOT_FOUND);
    const end = await scrape();
    const delta = moved(start, end);

    // Requests and queue waits: one per vision call (a Track stream waits in no queue), one per text call.
    assert.equal(delta('tabagent_requests_total', { surface: 'http', method: VISION, code: '200' }), N_VISION);
    assert.equal(delta('tabagent_queue_wait_seconds_count', { model: FACE }), N_VISION);
    assert.equal(delta('tabagent_queue_wait_seconds_count', { model: LLM }), 1);
    assert.equal(delta('tabagent_queue_wait_seconds_count', { model: EMBED }), 1);
    // gRPC calls by method, model and status; the HTTP routes' own loopback calls are not counted twice.
    const rpc = (method: string, model: string, code = 'OK'): Record<string, string> => ({ surface: 'grpc', method: `/tabagent.v1.${method}`, model, code });
    assert.equal(delta('tabagent_requests_total', rpc('Text/Generate', LLM)), 1);
    assert.equal(delta('tabagent_requests_total', rpc('Text/Generate', '', 'NOT_FOUND')), 1);
    assert.equal(delta('tabagent_requests_total', rpc('Text/Embed', EMBED)), 1);
    assert.equal(delta('tabagent_requests_total', rpc('Vision/Track', '')), 1);
    // ModelManagement calls too (the HTTP /v1/models routes' loopback calls are not counted).
    assert.equal(delta('tabagent_requests_total', rpc('ModelManagement/PullModel', PULLED)), 1);
    assert.equal(delta('tabagent_requests_total', rpc('ModelManagement/LoadModel', PULLED)), 1);
    assert.equal(delta('tabagent_requests_total', rpc('ModelManagement/GetModel', '', 'NOT_FOUND')), 1);
    assert.equal(end.samples('tabagent_requests_total', { surface: 'grpc', method: '/tabagent.v1.Vision/DetectFaces' }).length, 0);
    assert.equal(delta('tabagent_request_duration_seconds_count', { surface: 'grpc', method: '/tabagent.v1.Text/Embed', model: EMBED }), 1);
    // Track frames, by the stream's kind.
    assert.equal(delta('tabagent_track_frames_processed_total', { kind: 'faces' }), answered);
    assert.equal(delta('tabagent_track_frames_dropped_total', { kind: 'faces' }), dropped);
    // Generate over gRPC: K tokens, one time to first token, K - 1 inter-token latencies.
    const grpc = { surface: 'grpc', method: 'Generate', model: LLM };
    assert.equal(delta('tabagent_generated_tokens_total', { model: LLM }), K);
    assert.equal(delta('tabagent_prompt_tokens_total', { model: LLM }), done?.promptTokens);
    assert.equal(delta('tabagent_time_to_first_token_seconds_count', grpc), 1);
    assert.equal(delta('tabagent_inter_token_latency_seconds_count', grpc), K - 1);
    assert.equal(delta('tabagent_inter_token_latency_seconds_bucket', { ...grpc, le: '+Inf' }), K - 1);
    // The Embed of M texts ran as one batch of M.
    assert.equal(delta('tabagent_embedding_batch_size_count', { model: EMBED }), 1);
    assert.equal(delta('tabagent_embedding_batch_size_sum', { model: EMBED }), M);
    assert.equal(delta('tabagent_embedding_batch_size_bucket', { model: EMBED, le: '4' }), 0);
    assert.equal(delta('tabagent_embedding_batch_size_bucket', { model: EMBED, le: '8' }), 1);
    // The pull fetched the model's files and converted them once.
    assert.equal(delta('tabagent_model_pull_bytes_total', { model: PULLED }), pulled.bytes);
    assert.equal(delta('tabagent_model_conversion_seconds_count', { converter: 'llama2c-to-transformers' }), 1);
    assert.ok(delta('tabagent_model_conversion_seconds_sum', { converter: 'llama2c-to-transformers' }) > 0);

    // Gauges.
    assert.equal(end.type('tabagent_models_loaded'), 'gauge');
    assert.equal(delta('tabagent_models_loaded'), 1);
    assert.equal(end.value('tabagent_model_loaded_bytes', { model: PULLED }), convertedBytes(join(work, 'models')));
    assert.ok(end.value('tabagent_model_loaded_bytes', { model: FACE }) > 50_000);
    const rss = end.value('tabagent_supervisor_resident_memory_bytes');
    assert.ok(rss > 10 * 1024 * 1024 && rss < 4 * 1024 ** 3, `supervisor RSS ${rss}`);
    const childRss = end.value('tabagent_ml_child_resident_memory_bytes', { node: 'local' });
    assert.ok(childRss > 10 * 1024 * 1024 && childRss < 16 * 1024 ** 3, `child RSS ${childRss}`);
    const states = end.samples('tabagent_ml_child_state', { node: 'local' });
    assert.deepEqual(states.filter((s) => s.value === 1).map((s) => s.labels['state']), ['ready']);
    assert.ok(states.length >= 5, `${states.length} state series`);
  });

  it('counts one ML child restart after the child is killed, and the state gauge follows', async () => {
    assert.equal((await scrape()).value('tabagent_ml_child_restarts_total'), 0);
    const [childPid] = server.childPids();
    assert.ok(childPid !== undefined);
    process.kill(childPid, 'SIGKILL');
    await server.waitForLog(/"msg":"ML child exited"/, 20_000);
    await waitServing(server.address, 'tabagent.ml', 30_000);
    const after = await scrape();
    assert.equal(after.value('tabagent_ml_child_restarts_total'), 1);
    assert.equal(after.value('tabagent_ml_child_state', { node: 'local', state: 'ready' }), 1);
  });
});
