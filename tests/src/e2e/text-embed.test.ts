// End-to-end: Embed with the Universal Sentence Encoder lite (pulled from the npm registry) through
// a real tabagent-server: semantic sanity, unit vectors, dynamic batching of concurrent requests
// (asserted from the child's batch log), and INVALID_ARGUMENT naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { Pooling, type EmbedRequest, type EmbedResponse } from '@tabagent/protos/v1/text';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'google/universal-sentence-encoder-lite';

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('Text.Embed through tabagent-server', () => {
  let server: ServerUnderTest;
  let clients: PublicClients;
  const embed = (texts: string[], extra: Partial<EmbedRequest> = {}): Promise<EmbedResponse> =>
    call(clients.text, clients.text.embed, { model: MODEL, texts, pooling: Pooling.POOLING_UNSPECIFIED, ...extra }, { timeoutMs: 300_000 });

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--log-level', 'debug'] });
    clients = connect(server.address);
  });
  after(async () => {
    clients?.close();
    if (server) await server.stop();
  });

  it('puts "cat" nearer to "kitten" than to "stock market", as 512-d unit vectors', async () => {
    const r = await embed(['cat', 'kitten', 'stock market']);
    assert.equal(r.dimensions, 512);
    assert.equal(r.embeddings.length, 3);
    const [cat, kitten, stocks] = r.embeddings.map((e) => e.values);
    for (const v of [cat!, kitten!, stocks!]) {
      assert.equal(v.length, 512);
      assert.ok(Math.abs(dot(v, v) - 1) < 1e-4, `norm² ${dot(v, v)}`);
    }
    const near = dot(cat!, kitten!);
    const far = dot(cat!, stocks!);
    assert.ok(near - far > 0.3, `cos(cat, kitten) ${near.toFixed(3)} vs cos(cat, stock market) ${far.toFixed(3)}`);
    // The default runs the graph converted to ONNX on onnxruntime (the tfjs runtime would say "tfjs-wasm").
    const info = await call(clients.models, clients.models.getModel, { model: MODEL });
    assert.equal(info.executionProvider, 'cpu');
  });

  it('merges concurrent requests into one model call, with the same vectors as alone', async () => {
    const sentences = Array.from({ length: 16 }, (_, i) => `Sentence number ${i} is about ${i % 2 ? 'dogs' : 'weather'}.`);
    const batchLines = (): number => server.logs.filter((l) => l.includes('"msg":"embedding batch"')).length;
    const earlier = batchLines();
    const alone = await embed([sentences[3]!]);
    // The child's log reaches us through the supervisor after the answer: wait for the lone batch's line.
    for (const until = Date.now() + 10_000; batchLines() === earlier && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
    assert.equal(batchLines(), earlier + 1, 'the lone request logged one batch');
    const before = server.logs.length;
    const results = await Promise.all(sentences.map((s) => embed([s])));
    const batches = server.logs.slice(before).filter((l) => l.includes('"msg":"embedding batch"')).map((l) => JSON.parse(l) as { texts: number; requests: number });
    assert.equal(batches.reduce((s, b) => s + b.texts, 0), 16, JSON.stringify(batches));
    const largest = Math.max(...batches.map((b) => b.requests));
    assert.ok(largest >= 4, `largest batch merged only ${largest} requests: ${JSON.stringify(batches)}`);
    assert.ok(batches.length < 16);
    // Batched with others (padded to a longer sentence) or alone: the same embedding.
    assert.ok(dot(results[3]!.embeddings[0]!.values, alone.embeddings[0]!.values) > 0.9999);
    assert.ok(dot(results[0]!.embeddings[0]!.values, results[2]!.embeddings[0]!.values) > 0.8);
  });

  it('rejects bad requests with INVALID_ARGUMENT naming the field', async () => {
    const tooMany = await expectGrpcError(embed(Array.from({ length: 257 }, () => 'x')));
    assert.equal(tooMany.code, status.INVALID_ARGUMENT);
    assert.match(tooMany.details, /^texts: has 257 texts; at most 256/);
    const none = await expectGrpcError(embed([]));
    assert.equal(none.code, status.INVALID_ARGUMENT);
    assert.match(none.details, /^texts/);
    const blank = await expectGrpcError(embed(['fine', '  ']));
    assert.equal(blank.code, status.INVALID_ARGUMENT);
    assert.match(blank.details, /^texts\[1\]/);
    const pooling = await expectGrpcError(embed(['x'], { pooling: Pooling.POOLING_MEAN }));
    assert.equal(pooling.code, status.INVALID_ARGUMENT);
    assert.match(pooling.details, /^pooling/);
  });
});
