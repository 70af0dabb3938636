// End-to-end: stories260K as GGUF on the llama.cpp runtime through a real tabagent-server. The
// catalog entry's pull converts the shared llama2.c checkpoint; greedy output from BOS equals the
// llama2.c golden byte for byte; greedy tokens and chat replies equal the transformers.js path's;
// seeds, stop strings, per-load and per-request context sizes, JSON-schema-constrained output, a
// CUDA request falling back to CPU (GetModel says so), a GGUF from a `file:` entry, embeddings through
// Embed, tools with tool_choice, the same on the OpenAI HTTP routes, cancellation that frees the
// context for the next request, and a SIGKILL of the child mid-stream ending as on transformers.js.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { Device } from '@tabagent/protos/v1/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { Pooling, type ChatRequest, type EmbedResponse, type GenerateRequest } from '@tabagent/protos/v1/text';
import { privateFileBase } from '../../../ml-service/dist/text/llama/model-file.js';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';
import { EMBED, GGUF, LOAD_CONTEXT, LOCAL, ONNX, greedy, localGgufCatalog, read, type Outcome, type Stream } from './llama-helpers.js';

describe('stories260K on llama.cpp through tabagent-server', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  const golden = readFileSync(join(sharedDir(), 'models', 'stories260K', 'golden.empty_prompt.greedy256.txt'));
  const generate = (req: Partial<GenerateRequest>, onDelta?: (deltas: number, s: Stream) => void): Promise<Outcome> =>
    read(c.text.generate({ model: GGUF, prompt: '', ...req } as GenerateRequest, new Metadata(), { deadline: new Date(Date.now() + 60_000) }), onDelta);
  const chat = (req: Partial<ChatRequest>): Promise<Outcome> =>
    read(c.text.chat({ model: GGUF, messages: [], ...req } as ChatRequest, new Metadata(), { deadline: new Date(Date.now() + 60_000) }));

  const dir = mkdtempSync(join(tmpdir(), 'tabagent-gguf-catalog-'));
  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models'), '--catalog', localGgufCatalog(dir)] });
    c = connect(server.address);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('pulls (converting to GGUF) and loads with a CUDA preference, falling back to CPU with warnings GetModel reports', async () => {
    const loaded = await call(c.models, c.models.loadModel, {
      model: GGUF, options: { devices: [Device.DEVICE_CUDA], threads: 0, keepAliveSeconds: -1, gpuLayers: 3, contextSize: LOAD_CONTEXT },
    }, { timeoutMs: 120_000 });
    assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY, loaded.model?.lastError);
    const info = await call(c.models, c.models.getModel, { model: GGUF });
    assert.equal(info.runtime, 'llama.cpp');
    assert.equal(info.executionProvider, 'cpu');
    assert.equal(info.device, Device.DEVICE_CPU);
    assert.ok(info.warnings.some((w) => /llama\.cpp backend "cuda" is not available.*falling back to CPU/.test(w)), info.warnings.join('\n'));
    assert.ok(info.warnings.some((w) => /gpu_layers=3 requested but no GPU backend is available/.test(w)), info.warnings.join('\n'));
    // llama.cpp lives in the child only; the GGUF it was given is no longer on the file system.
    const [child] = server.childPids();
    assert.equal(info.childPid, child);
    assert.match(readFileSync(`/proc/${child}/maps`, 'utf8'), /node-llama-cpp/);
    assert.doesNotMatch(readFileSync(`/proc/${server.pid}/maps`, 'utf8'), /llama/);
    assert.deepEqual(readdirSync(privateFileBase()).filter((n) => n.startsWith(`tabagent-gguf-${child}-`)), []);
  });

  it('serves a GGUF file from a file: catalog entry with no conversion (the default KV cache type)', async () => {
    const r = await generate({ model: LOCAL, sampling: greedy(40) });
    assert.equal(r.error, undefined, r.error?.details);
    assert.equal(r.done?.completionTokens, 40);
    assert.equal(golden.toString('utf8').startsWith(r.text), true, r.text);
    const info = await call(c.models, c.models.getModel, { model: LOCAL });
    assert.equal(info.runtime, 'llama.cpp');
    assert.equal(info.source, `file:${join(dir, 'models')}`);
  });

  it('embeds through Embed and its dynamic batcher: deterministic, batch-invariant, normalised on request', async () => {
    const embed = (texts: string[], extra: { normalize?: boolean; pooling?: Pooling } = {}): Promise<EmbedResponse> =>
      call(c.text, c.text.embed, { model: EMBED, texts, pooling: Pooling.POOLING_UNSPECIFIED, ...extra });
    const texts = ['The cat sat on the mat.', 'Lily went to the park with her mom.', 'The cat sat on the mat.'];
    const r = await embed(texts);
    assert.equal(r.dimensions, 64);
    assert.equal(r.embeddings.length, 3);
    const norm = (v: number[]): number => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    for (const e of r.embeddings) assert.ok(Math.abs(norm(e.values) - 1) < 1e-5);
    assert.deepEqual(r.embeddings[0]!.values, r.embeddings[2]!.values);
    assert.notDeepEqual(r.embeddings[0]!.values, r.embeddings[1]!.values);
    // One text per request, all in flight at once (the batcher may merge them): each vector equals the batched one.
    const single = await Promise.all(texts.map((t) => embed([t])));
    single.forEach((s, i) => assert.deepEqual(s.embeddings[0]!.values.map((x) => x.toFixed(5)), r.embeddings[i]!.values.map((x) => x.toFixed(5))));
    const raw = await embed([texts[0]!], { normalize: false });
    const n = norm(raw.embeddings[0]!.values);
    assert.ok(Math.abs(n - 1) > 1e-3, `raw norm ${n}`);
    raw.embeddings[0]!.values.forEach((x, i) => assert.ok(Math.abs(x / n - r.embeddings[0]!.values[i]!) < 1e-5));
    const err = await expectGrpcError(embed(['x'], { pooling: Pooling.POOLING_MEAN }));
    assert.equal(err.code, status.INVALID_ARGUMENT);
    assert.match(err.details, /pooling/);
  });

  it('reproduces the llama2.c greedy golden from BOS byte for byte, streamed', async () => {
    const r = await generate({ sampling: greedy(256) });
    assert.equal(r.error, undefined, r.error?.details);
    assert.equal(Buffer.from(`${r.text}\n`).equals(golden), true, `generated:\n${r.text}`);
    assert.equal(r.done?.completionTokens, 256);
    assert.equal(r.done?.promptTokens, 1);
    assert.equal(r.done?.finishReason, 'length');
    assert.equal(r.tokenIds.length, 256);
    assert.ok(r.deltas >= 2, `${r.deltas} deltas`);
  });

  it('gives the same greedy tokens and chat reply as the transformers.js path', async () => {
    const prompt = 'Lily and Ben went to the beach with their dog';
    const [a, b] = [await generate({ prompt, sampling: greedy(80) }), await read(c.text.generate({ model: ONNX, prompt, sampling: greedy(80) }, new Metadata()))];
    assert.equal(a.error ?? b.error, undefined, (a.error ?? b.error)?.details);
    assert.deepEqual(a.tokenIds, b.tokenIds);
    assert.equal(a.text, b.text);
    assert.equal(a.done?.promptTokens, b.done?.promptTokens);
    const messages = [{ role: 'user', content: 'Tell me about a cat.' }];
    const x = await chat({ messages, sampling: greedy(40) });
    const y = await read(c.text.chat({ model: ONNX, messages, sampling: greedy(40) }, new Metadata()));
    assert.equal(x.error ?? y.error, undefined, (x.error ?? y.error)?.details);
    assert.deepEqual(x.tokenIds, y.tokenIds);
    assert.equal(x.done?.finishReason, y.done?.finishReason);
  });

  it('samples reproducibly with a seed and honours stop strings', async () => {
    const sampling = { maxNewTokens: 60, temperature: 0.9, topK: 40, seed: 1234, stop: [] };
    const [a, b, d] = [await generate({ sampling }), await generate({ sampling }), await generate({ sampling: { ...sampling, seed: 99 } })];
    assert.equal(a.done?.completionTokens, 60);
    assert.deepEqual(a.tokenIds, b.tokenIds);
    assert.notDeepEqual(a.tokenIds, d.tokenIds);
    const s = await generate({ sampling: greedy(256, { stop: ['Lily'] }) });
    assert.equal(s.text, 'Once upon a time, there was a little girl named ');
    assert.equal(s.done?.finishReason, 'stop');
  });

  it('sizes the context per load and per request, refusing what does not fit with the field named', async () => {
    const tooLong = await generate({ sampling: greedy(LOAD_CONTEXT) });
    assert.equal(tooLong.error?.code, status.INVALID_ARGUMENT);
    assert.match(tooLong.error!.details, new RegExp(`sampling\\.max_new_tokens: .*exceeds the context of ${LOAD_CONTEXT} tokens`));
    const wide = await generate({ sampling: greedy(LOAD_CONTEXT, { contextSize: 512 }) });
    assert.equal(wide.error, undefined, wide.error?.details);
    assert.equal(wide.done?.completionTokens, LOAD_CONTEXT);
    assert.equal(Buffer.from(wide.text.slice(0, golden.length - 1)).equals(golden.subarray(0, golden.length - 1)), true);
    const over = await generate({ sampling: greedy(8, { contextSize: 4096 }) });
    assert.equal(over.error?.code, status.INVALID_ARGUMENT);
    assert.match(over.error!.details, /sampling\.context_size: must be an integer from 16 to 512/);
  });

  it('constrains Generate and Chat to a JSON schema; runtimes without grammars refuse it naming the field', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 24 }, friends: { type: 'array', items: { type: 'string', maxLength: 12 }, maxItems: 3 }, age: { type: 'integer' } },
      required: ['name', 'friends', 'age'],
    };
    const check = (r: Outcome): void => {
      assert.equal(r.error, undefined, r.error?.details);
      const v = JSON.parse(r.text) as { name: unknown; friends: unknown; age: unknown };
      assert.deepEqual(Object.keys(v).sort(), ['age', 'friends', 'name']);
      assert.equal(typeof v.name, 'string');
      assert.ok((v.name as string).length <= 24);
      assert.ok(Array.isArray(v.friends) && v.friends.length <= 3 && v.friends.every((f) => typeof f === 'string'));
      assert.ok(Number.isInteger(v.age));
    };
    check(await generate({ prompt: 'Once upon a time', sampling: greedy(200, { jsonSchema: JSON.stringify(schema) }) }));
    check(await chat({ messages: [{ role: 'user', content: 'Who is Lily?' }], sampling: greedy(200, { jsonSchema: JSON.stringify(schema) }) }));
    const onnx = await read(c.text.generate({ model: ONNX, prompt: '', sampling: greedy(8, { jsonSchema: JSON.stringify(schema) }) }, new Metadata()));
    assert.equal(onnx.error?.code, status.INVALID_ARGUMENT);
    assert.match(onnx.error!.details, /sampling\.json_schema: constrained output needs the llama\.cpp runtime/);
    const bad = await generate({ sampling: greedy(8, { jsonSchema: '{"type": ' }) });
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT);
    assert.match(bad.error!.details, /sampling\.json_schema: is not valid JSON/);
  });

  it('HTTP: response_format json_schema constrains /v1/chat/completions; num_ctx sizes the context; refusals name the param', async () => {
    interface Reply { choices: { message: { content: string } }[]; usage: { completion_tokens: number }; error: { param: string | null; message: string } }
    const post = async (body: Record<string, unknown>): Promise<{ status: number; json: Reply }> => {
      const res = await fetch(`http://127.0.0.1:${server.httpPort}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Reply };
    };
    const schema = { type: 'object', properties: { title: { type: 'string', maxLength: 30 }, happy: { type: 'boolean' } }, required: ['title', 'happy'] };
    const base = { model: GGUF, messages: [{ role: 'user', content: 'Tell me a story.' }], temperature: 0, max_tokens: 120 };
    const ok = await post({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'story', schema } } });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    const value = JSON.parse(ok.json.choices[0]!.message.content) as { title: unknown; happy: unknown };
    assert.deepEqual(Object.keys(value).sort(), ['happy', 'title']);
    assert.equal(typeof value.title, 'string');
    assert.equal(typeof value.happy, 'boolean');
    const onnx = await post({ ...base, model: ONNX, response_format: { type: 'json_schema', json_schema: { name: 'story', schema } } });
    assert.equal(onnx.status, 400);
    assert.equal(onnx.json.error.param, 'response_format');
    const noSchema = await post({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'story' } } });
    assert.equal(noSchema.status, 400);
    assert.equal(noSchema.json.error.param, 'response_format');
    const tooLong = await post({ ...base, max_tokens: 200, num_ctx: 64 });
    assert.equal(tooLong.status, 400, JSON.stringify(tooLong.json));
    assert.equal(tooLong.json.error.param, 'max_tokens');
    assert.match(tooLong.json.error.message, /exceeds the context of 64 tokens/);
    const fits = await post({ ...base, max_tokens: 40, num_ctx: 64 });
    assert.equal(fits.status, 200, JSON.stringify(fits.json));
    assert.equal(fits.json.usage.completion_tokens, 40);
  });

  it('Chat with tools: "required" and a tool name force a valid call, "none" ignores them, "auto" is UNIMPLEMENTED', async () => {
    const weather = { name: 'get_weather', description: 'Weather of a city.', parametersJson: JSON.stringify({ type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'] }) };
    const play = { name: 'play_ball', description: 'Throw a ball.', parametersJson: JSON.stringify({ type: 'object', properties: { times: { type: 'integer' } }, required: ['times'] }) };
    const messages = [{ role: 'user', content: 'What is the weather in the park?' }];
    const forced = await read(c.text.chat({ model: GGUF, messages, sampling: greedy(120, { contextSize: 512 }), tools: { functions: [weather, play], choice: 'required' } }, new Metadata()));
    assert.equal(forced.error, undefined, forced.error?.details);
    assert.equal(forced.done?.finishReason, 'tool_calls');
    assert.equal(forced.text, '');
    const call = forced.done?.toolCalls?.calls[0];
    assert.ok(call && ['get_weather', 'play_ball'].includes(call.name), JSON.stringify(forced.done));
    const args = JSON.parse(call.argumentsJson) as Record<string, unknown>;
    if (call.name === 'get_weather') assert.equal(typeof args.city, 'string');
    else assert.ok(Number.isInteger(args.times));
    const named = await read(c.text.chat({ model: GGUF, messages, sampling: greedy(120, { contextSize: 512 }), tools: { functions: [weather, play], choice: 'play_ball' } }, new Metadata()));
    assert.equal(named.done?.toolCalls?.calls[0]?.name, 'play_ball', JSON.stringify(named.done));
    assert.ok(Number.isInteger((JSON.parse(named.done!.toolCalls!.calls[0]!.argumentsJson) as { times: unknown }).times));
    const none = await read(c.text.chat({ model: GGUF, messages, sampling: greedy(30), tools: { functions: [weather], choice: 'none' } }, new Metadata()));
    const plain = await chat({ messages, sampling: greedy(30) });
    assert.deepEqual(none.tokenIds, plain.tokenIds);
    assert.equal(none.done?.toolCalls, undefined);
    const auto = await read(c.text.chat({ model: GGUF, messages, sampling: greedy(8), tools: { functions: [weather], choice: 'auto' } }, new Metadata()));
    assert.equal(auto.error?.code, status.UNIMPLEMENTED);
    const unknown = await read(c.text.chat({ model: GGUF, messages, sampling: greedy(8), tools: { functions: [weather], choice: 'fly' } }, new Metadata()));
    assert.equal(unknown.error?.code, status.INVALID_ARGUMENT);
    assert.match(unknown.error!.details, /tools\.choice: names no tool of the request: "fly"/);
    const onnx = await read(c.text.chat({ model: ONNX, messages, sampling: greedy(8), tools: { functions: [weather], choice: 'required' } }, new Metadata()));
    assert.equal(onnx.error?.code, status.INVALID_ARGUMENT);
    assert.match(onnx.error!.details, /tools: function calling needs the llama\.cpp runtime/);
  });

  it('HTTP: tools and tool_choice on /v1/chat/completions give OpenAI tool_calls, streamed and not', async () => {
    const url = `http://127.0.0.1:${server.httpPort}/v1/chat/completions`;
    const post = (body: Record<string, unknown>): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const tools = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather of a city.', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 20 } }, required: ['city'] } } },
      { type: 'function', function: { name: 'play_ball', description: 'Throw a ball.', parameters: { type: 'object', properties: { times: { type: 'integer' } }, required: ['times'] } } },
    ];
    const base = { model: GGUF, messages: [{ role: 'user', content: 'Is it sunny?' }], temperature: 0, max_tokens: 120, num_ctx: 512, tools };
    const res = await post({ ...base, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const body = (await res.json()) as { choices: { finish_reason: string; message: { content: unknown; tool_calls: { id: string; type: string; function: { name: string; arguments: string } }[] } }[] };
    assert.equal(res.status, 200, JSON.stringify(body));
    const choice = body.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.equal(choice.message.tool_calls[0]!.type, 'function');
    assert.equal(choice.message.tool_calls[0]!.function.name, 'get_weather');
    assert.equal(typeof (JSON.parse(choice.message.tool_calls[0]!.function.arguments) as { city: unknown }).city, 'string');
    const streamed = await post({ ...base, tool_choice: 'required', stream: true });
    assert.equal(streamed.status, 200);
    const events = (await streamed.text()).split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)) as { choices: { delta: { tool_calls?: { index: number; function: { name: string } }[] }; finish_reason: string | null }[] });
    const withCalls = events.filter((e) => e.choices[0]?.delta.tool_calls);
    assert.equal(withCalls.length, 1);
    assert.equal(withCalls[0]!.choices[0]!.delta.tool_calls![0]!.index, 0);
    assert.ok(['get_weather', 'play_ball'].includes(withCalls[0]!.choices[0]!.delta.tool_calls![0]!.function.name));
    assert.equal(events[events.length - 1]!.choices[0]!.finish_reason, 'tool_calls');
    const unknown = await post({ ...base, tool_choice: { type: 'function', function: { name: 'fly' } } });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { error: { param: string } }).error.param, 'tool_choice');
    const onnx = await post({ ...base, model: ONNX, num_ctx: undefined, tool_choice: 'required' });
    assert.equal(onnx.status, 400);
    assert.equal(((await onnx.json()) as { error: { param: string } }).error.param, 'tools');
  });

  it('a cancelled stream frees its context: the next request runs at once', async () => {
    const cut = await generate({ sampling: greedy(360) }, (deltas, s) => {
      if (deltas === 1) s.cancel();
    });
    assert.equal(cut.error?.code, status.CANCELLED);
    assert.ok(cut.tokenIds.length < 360);
    const next = await generate({ sampling: greedy(20) });
    assert.equal(next.error, undefined, next.error?.details);
    assert.equal(next.done?.completionTokens, 20);
    assert.equal(golden.toString('utf8').startsWith(next.text), true);
  });

  it('a SIGKILL of the child mid-stream ends UNAVAILABLE with the tokens delivered, and the reloaded model generates again', async () => {
    const [victim] = server.childPids();
    assert.ok(victim !== undefined);
    const r = await generate({ prompt: 'Once upon a time', sampling: greedy(360) }, (deltas) => {
      if (deltas === 1) process.kill(victim, 'SIGKILL');
    });
    assert.equal(r.error?.code, status.UNAVAILABLE, `got ${r.tokenIds.length} tokens, done=${JSON.stringify(r.done)}`);
    assert.equal(r.error.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_CHILD_UNAVAILABLE');
    const m = /restarted during generation after (\d+) tokens were delivered/.exec(r.error.details);
    assert.ok(m, r.error.details);
    assert.equal(Number(m[1]), r.tokenIds.length);
    assert.equal(r.done, undefined);
    await waitServing(server.address, 'tabagent.ml', 30_000);
    const again = await generate({ sampling: greedy(16) });
    assert.equal(again.error, undefined, again.error?.details);
    assert.equal(again.done?.completionTokens, 16);
    const info = await call(c.models, c.models.getModel, { model: GGUF });
    assert.equal(info.state, ModelState.MODEL_STATE_READY);
    assert.equal(info.executionProvider, 'cpu');
  });
});
