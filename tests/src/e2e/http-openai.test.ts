// End-to-end: the OpenAI-compatible HTTP API of a real tabagent-server, driven by the official
// `openai` SDK as it ships (only baseURL and apiKey set): the model list, chat and completions on
// karpathy/stories260K against the gRPC answer for the same request, streaming with and without
// include_usage, embeddings (float, base64, and the SDK's own default) against gRPC Embed, and
// refusals surfacing as the SDK's typed errors naming the parameter.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { Pooling, type GenerateResponse, type GenerateStats, type SamplingOptions } from '@tabagent/protos/v1/text';
import { call, connect, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const LLM = 'karpathy/stories260K';
const EMBEDDER = 'google/universal-sentence-encoder-lite';
const MESSAGES = [
  { role: 'system' as const, content: 'You tell short stories.' },
  { role: 'user' as const, content: 'Tell me about a cat named Tom.' },
];

/** Text and final statistics of a gRPC token stream. */
function collect(stream: ClientReadableStream<GenerateResponse>): Promise<{ text: string; done: GenerateStats }> {
  let text = '';
  let done: GenerateStats | undefined;
  return new Promise((resolve, reject) => {
    stream.on('data', (r: GenerateResponse) => {
      if (r.delta) text += r.delta.text;
      else if (r.done) done = r.done;
    });
    stream.on('error', reject);
    stream.on('end', () => (done ? resolve({ text, done }) : reject(new Error('stream ended without statistics'))));
  });
}

/** The float32 values of a base64 embedding. */
function float32s(b64: string): number[] {
  const bytes = Buffer.from(b64, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

describe('OpenAI-compatible HTTP API through the openai SDK', () => {
  let server: ServerUnderTest;
  let grpc: PublicClients;
  let openai: OpenAI;
  const greedy: SamplingOptions = { maxNewTokens: 40, temperature: 0, topK: 0, stop: [] };
  const deadline = (): { deadline: Date } => ({ deadline: new Date(Date.now() + 120_000) });

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models')] });
    grpc = connect(server.address);
    openai = new OpenAI({ baseURL: `http://127.0.0.1:${server.httpPort}/v1`, apiKey: 'unused' });
  });
  after(async () => {
    grpc?.close();
    if (server) await server.stop();
  });

  it('lists the catalog like gRPC ListModels and retrieves one model by its id with a slash', async () => {
    const page = await openai.models.list();
    const viaGrpc = await call(grpc.models, grpc.models.listModels, { loadedOnly: false });
    assert.deepEqual(page.data.map((m) => m.id).sort(), viaGrpc.models.map((m) => m.id).sort());
    assert.ok(page.data.some((m) => m.id === LLM) && page.data.some((m) => m.id === EMBEDDER));
    assert.ok(page.data.every((m) => m.object === 'model' && m.owned_by === 'tabagent' && Number.isInteger(m.created)));
    const one = await openai.models.retrieve(LLM);
    assert.equal(one.id, LLM);
    assert.equal(one.object, 'model');
  });

  it('answers a greedy chat with the text of gRPC Chat for the same messages, with its token counts', async () => {
    const ref = await collect(grpc.text.chat({ model: LLM, messages: MESSAGES, sampling: greedy }, new Metadata(), deadline()));
    assert.ok(ref.text.trim().length > 0);
    const res = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, temperature: 0, max_tokens: 40 });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, LLM);
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0]!.message.role, 'assistant');
    assert.equal(res.choices[0]!.message.content, ref.text);
    assert.equal(res.choices[0]!.finish_reason, ref.done.finishReason === 'length' ? 'length' : 'stop');
    assert.deepEqual(res.usage, {
      prompt_tokens: ref.done.promptTokens, completion_tokens: ref.done.completionTokens, total_tokens: ref.done.promptTokens + ref.done.completionTokens,
    });
  });

  it('streams the same text; include_usage adds exactly one final chunk with usage, and without it no chunk has usage', async () => {
    const ref = await collect(grpc.text.chat({ model: LLM, messages: MESSAGES, sampling: greedy }, new Metadata(), deadline()));
    const withUsage = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, temperature: 0, max_tokens: 40, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const c of withUsage) chunks.push(c);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, ref.text);
    assert.ok(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length > 1, 'the text came in several chunks');
    const withStats = chunks.filter((c) => c.usage != null);
    assert.equal(withStats.length, 1);
    assert.equal(withStats[0], chunks.at(-1));
    assert.deepEqual(withStats[0]!.choices, []);
    assert.deepEqual(withStats[0]!.usage, {
      prompt_tokens: ref.done.promptTokens, completion_tokens: ref.done.completionTokens, total_tokens: ref.done.promptTokens + ref.done.completionTokens,
    });
    assert.equal(chunks.filter((c) => c.choices[0]?.finish_reason != null).length, 1);

    const plain = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, temperature: 0, max_tokens: 40, stream: true });
    const plainChunks = [];
    for await (const c of plain) plainChunks.push(c);
    assert.equal(plainChunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), ref.text);
    assert.equal(plainChunks.filter((c) => 'usage' in c).length, 0);
    assert.equal(plainChunks.at(-1)!.choices[0]!.finish_reason, ref.done.finishReason === 'length' ? 'length' : 'stop');
  });

  it('completes a prompt like gRPC Generate, whole and streamed', async () => {
    const prompt = 'Once upon a time, there was a';
    const ref = await collect(grpc.text.generate({ model: LLM, prompt, sampling: greedy, addBos: undefined }, new Metadata(), deadline()));
    const res = await openai.completions.create({ model: LLM, prompt, temperature: 0, max_tokens: 40 });
    assert.equal(res.object, 'text_completion');
    assert.equal(res.choices[0]!.text, ref.text);
    assert.equal(res.usage?.completion_tokens, ref.done.completionTokens);
    const streamed = await openai.completions.create({ model: LLM, prompt, temperature: 0, max_tokens: 40, stream: true });
    let text = '';
    for await (const c of streamed) text += c.choices[0]?.text ?? '';
    assert.equal(text, ref.text);
  });

  it('embeds as float, as base64 and by the SDK default with the vectors of gRPC Embed', async () => {
    const texts = ['cat', 'a kitten sleeps', 'the stock market fell'];
    const ref = await call(grpc.text, grpc.text.embed, { model: EMBEDDER, texts, pooling: Pooling.POOLING_UNSPECIFIED }, { timeoutMs: 300_000 });
    const close = (got: readonly number[], want: readonly number[], tolerance = 1e-6): void => {
      assert.equal(got.length, want.length);
      const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]!)));
      assert.ok(worst <= tolerance, `largest difference ${worst}`);
    };
    const asFloat = await openai.embeddings.create({ model: EMBEDDER, input: texts, encoding_format: 'float' });
    assert.equal(asFloat.object, 'list');
    assert.deepEqual(asFloat.data.map((d) => d.index), [0, 1, 2]);
    asFloat.data.forEach((d, i) => close(d.embedding, ref.embeddings[i]!.values));
    assert.equal(asFloat.data[0]!.embedding.length, 512);

    const asBase64 = await openai.embeddings.create({ model: EMBEDDER, input: texts, encoding_format: 'base64' });
    asBase64.data.forEach((d, i) => {
      assert.equal(typeof d.embedding, 'string');
      close(float32s(d.embedding as unknown as string), ref.embeddings[i]!.values);
    });
    // Without encoding_format the SDK asks for base64 and decodes it itself (one text alone: a
    // batch of one may differ from a batch of three in the last float32 bits).
    const byDefault = await openai.embeddings.create({ model: EMBEDDER, input: 'cat' });
    close(byDefault.data[0]!.embedding, ref.embeddings[0]!.values, 1e-5);
  });

  it('refuses an unknown model with NotFoundError (also when streaming) and n = 2 with BadRequestError naming n', async () => {
    const unknown = await openai.chat.completions.create({ model: 'nobody/no-such-model', messages: MESSAGES }).then(() => undefined, (e: unknown) => e);
    assert.ok(unknown instanceof NotFoundError, String(unknown));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.code, 'TA_ERR_MODEL_NOT_FOUND');
    assert.match(unknown.message, /nobody\/no-such-model/);
    const streamed = await openai.chat.completions.create({ model: 'nobody/no-such-model', messages: MESSAGES, stream: true }).then(() => undefined, (e: unknown) => e);
    assert.ok(streamed instanceof NotFoundError, String(streamed));
    const missing = await openai.models.retrieve('nobody/no-such-model').then(() => undefined, (e: unknown) => e);
    assert.ok(missing instanceof NotFoundError, String(missing));

    const n2 = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, n: 2 }).then(() => undefined, (e: unknown) => e);
    assert.ok(n2 instanceof BadRequestError, String(n2));
    assert.equal(n2.status, 400);
    assert.equal(n2.param, 'n');
    assert.equal(n2.type, 'invalid_request_error');
    // A refusal of the gRPC side names the OpenAI parameter too (max_tokens past the 512-token context).
    const long = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, max_tokens: 100_000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(long instanceof BadRequestError, String(long));
    assert.equal(long.param, 'max_tokens');
    const hot = await openai.chat.completions.create({ model: LLM, messages: MESSAGES, temperature: 7 }).then(() => undefined, (e: unknown) => e);
    assert.ok(hot instanceof BadRequestError, String(hot));
    assert.equal(hot.param, 'temperature');
  });

  it('takes a model alias over gRPC and HTTP: the same model and text, answers naming the canonical id', async () => {
    const ALIAS = 'stories260k';
    const info = await call(grpc.models, grpc.models.getModel, { model: ALIAS });
    assert.equal(info.id, LLM);
    const ref = await collect(grpc.text.chat({ model: LLM, messages: MESSAGES, sampling: greedy }, new Metadata(), deadline()));
    const byAlias = await collect(grpc.text.chat({ model: ALIAS, messages: MESSAGES, sampling: greedy }, new Metadata(), deadline()));
    assert.ok(ref.text.trim().length > 0);
    assert.equal(byAlias.text, ref.text);
    assert.equal(byAlias.done.completionTokens, ref.done.completionTokens);
    const res = await openai.chat.completions.create({ model: ALIAS, messages: MESSAGES, temperature: 0, max_tokens: 40 });
    assert.equal(res.choices[0]!.message.content, ref.text);
    assert.equal(res.model, LLM);
    const one = await openai.models.retrieve(ALIAS);
    assert.equal(one.id, LLM);
    const listed = (await openai.models.list()).data.map((m) => m.id);
    assert.ok(listed.includes(LLM) && !listed.includes(ALIAS), 'the list names canonical ids only');
    // The alias and the id share one record: one model loaded, not two.
    const loaded = await call(grpc.models, grpc.models.listModels, { loadedOnly: true });
    assert.equal(loaded.models.filter((m) => m.id === LLM).length, 1);
    assert.ok(loaded.models.every((m) => m.id !== ALIAS));
  });
});
