// End-to-end: Generate and Chat on karpathy/stories260K through a real tabagent-server: the
// llama2.c greedy golden byte for byte, streamed deltas, seeded sampling, cancellation, deadlines,
// and INVALID_ARGUMENT naming the field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import type { ChatRequest, GenerateRequest, GenerateResponse, GenerateStats } from '@tabagent/protos/v1/text';
import { connect, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'karpathy/stories260K';

/** What a Generate/Chat stream produced. */
interface Collected {
  deltas: string[];
  tokenIds: number[];
  arrivals: number[];
  done: GenerateStats | undefined;
  doneAt: number;
  error: ServiceError | undefined;
}

/** Reads a stream to its end; `onDelta` (given the tokens received so far) may cancel it. */
function collect(stream: ClientReadableStream<GenerateResponse>, onDelta?: (tokens: number) => void): Promise<Collected> {
  const out: Collected = { deltas: [], tokenIds: [], arrivals: [], done: undefined, doneAt: 0, error: undefined };
  return new Promise((resolve) => {
    stream.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        out.deltas.push(r.delta.text);
        out.tokenIds.push(...r.delta.tokenIds);
        out.arrivals.push(performance.now());
        onDelta?.(out.tokenIds.length);
      } else if (r.done) {
        out.done = r.done;
        out.doneAt = performance.now();
      }
    });
    stream.on('error', (e: ServiceError) => {
      out.error = e;
      resolve(out);
    });
    stream.on('end', () => resolve(out));
  });
}

describe('Text.Generate / Text.Chat through tabagent-server', () => {
  let server: ServerUnderTest;
  let clients: PublicClients;
  const golden = readFileSync(join(sharedDir(), 'models', 'stories260K', 'golden.empty_prompt.greedy256.txt'));
  const generate = (req: Partial<GenerateRequest>, timeoutMs = 60_000): ClientReadableStream<GenerateResponse> =>
    clients.text.generate({ model: MODEL, prompt: '', ...req } as GenerateRequest, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) });
  const chat = (req: Partial<ChatRequest>, timeoutMs = 60_000): ClientReadableStream<GenerateResponse> =>
    clients.text.chat({ model: MODEL, messages: [], ...req } as ChatRequest, new Metadata(), { deadline: new Date(Date.now() + timeoutMs) });

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--log-level', 'debug', '--shared-models-dir', join(sharedDir(), 'models')] });
    clients = connect(server.address);
  });
  after(async () => {
    clients?.close();
    if (server) await server.stop();
  });

  it('reproduces the llama2.c greedy golden from BOS byte for byte, streamed token by token', async () => {
    const r = await collect(generate({ sampling: { maxNewTokens: 256, temperature: 0, topK: 0, stop: [] } }));
    assert.equal(r.error, undefined, r.error?.details);
    const text = r.deltas.join('');
    assert.equal(Buffer.from(`${text}\n`).equals(golden), true, `generated:\n${text}`);
    assert.equal(r.done?.completionTokens, 256);
    assert.equal(r.done?.promptTokens, 1);
    assert.equal(r.done?.finishReason, 'length');
    assert.equal(r.tokenIds.length, 256);
    // Streamed: many deltas (tokens arriving within a few ms share one), none splitting a character,
    // all before the final statistics.
    assert.ok(r.deltas.length >= 10, `only ${r.deltas.length} deltas`);
    assert.ok(r.deltas.every((d) => d.length > 0 && !d.includes('\uFFFD')));
    assert.ok(r.arrivals.every((t) => t <= r.doneAt));
    assert.ok(r.done!.timeToFirstTokenMs > 0 && r.done!.timeToFirstTokenMs < 5_000);
    assert.ok(r.done!.tokensPerSecond > 50, `tokens/s ${r.done!.tokensPerSecond}`);
  });

  it('continues a prompt like the golden and honours stop strings', async () => {
    const prefix = 'Once upon a time, there was a little girl named Lily.';
    const r = await collect(generate({ prompt: prefix, sampling: { maxNewTokens: 40, temperature: 0, topK: 0, stop: [] } }));
    const goldenText = golden.toString('utf8');
    assert.ok(goldenText.startsWith(prefix + r.deltas.join('').slice(0, 30)), `continuation: ${r.deltas.join('')}`);
    const s = await collect(generate({ sampling: { maxNewTokens: 256, temperature: 0, topK: 0, stop: ['Lily'] } }));
    assert.equal(s.deltas.join(''), 'Once upon a time, there was a little girl named ');
    assert.equal(s.done?.finishReason, 'stop');
  });

  it('samples reproducibly with a seed', async () => {
    const sampling = { maxNewTokens: 60, temperature: 0.9, topK: 40, seed: 1234, stop: [] };
    const a = await collect(generate({ sampling }));
    const b = await collect(generate({ sampling }));
    const c = await collect(generate({ sampling: { ...sampling, seed: 99 } }));
    assert.equal(a.deltas.join(''), b.deltas.join(''));
    assert.deepEqual(a.tokenIds, b.tokenIds);
    assert.notDeepEqual(a.tokenIds, c.tokenIds);
  });

  it('stops generating soon after the client cancels', async () => {
    const stream = generate({ sampling: { maxNewTokens: 500, temperature: 0.8, seed: 7, topK: 0, stop: [] } });
    let atCancel = 0;
    const r = await collect(stream, (tokens) => {
      if (atCancel === 0 && tokens >= 10) {
        atCancel = tokens;
        stream.cancel();
      }
    });
    assert.equal(r.error?.code, status.CANCELLED);
    const line = await server.waitForLog(/^(?=.*"msg":"generation finished")(?=.*"finish":"cancelled")/, 10_000);
    const generated = Number(line['tokens']);
    assert.ok(generated >= atCancel && generated < atCancel + 90, `the engine generated ${generated} tokens after a cancel at ${atCancel}`);
  });

  it('ends with DEADLINE_EXCEEDED after the tokens produced in time', async () => {
    const r = await collect(generate({ sampling: { maxNewTokens: 510, temperature: 0.8, seed: 11, topK: 0, stop: [] } }, 120));
    assert.equal(r.error?.code, status.DEADLINE_EXCEEDED);
    assert.equal(r.done, undefined);
    assert.ok(r.tokenIds.length > 0, 'no token arrived before the deadline');
    assert.ok(r.tokenIds.length < 510);
  });

  it('rejects invalid requests with INVALID_ARGUMENT naming the field', async () => {
    const cases: [Partial<GenerateRequest>, RegExp][] = [
      [{ prompt: 'Hi', sampling: { maxNewTokens: 10, temperature: -1, topK: 0, stop: [] } }, /sampling\.temperature/],
      [{ prompt: 'Hi', sampling: { maxNewTokens: 600, temperature: 0, topK: 0, stop: [] } }, /sampling\.max_new_tokens.*context of 512/],
      [{ prompt: '', addBos: false }, /^prompt/],
      [{ prompt: 'Hi', sampling: { maxNewTokens: 10, topP: 1.5, topK: 0, stop: [] } }, /sampling\.top_p/],
    ];
    for (const [req, field] of cases) {
      const r = await collect(generate(req, 10_000));
      assert.equal(r.error?.code, status.INVALID_ARGUMENT, JSON.stringify(req));
      assert.match(r.error!.details, field);
      assert.equal(r.error!.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_INVALID_ARGUMENT');
      assert.equal(r.deltas.length, 0);
    }
  });

  it('chats with the plain template, deterministically when greedy, and checks roles', async () => {
    const messages = [
      { role: 'system', content: 'You tell short stories.' },
      { role: 'user', content: 'Tell me about a cat.' },
    ];
    const sampling = { maxNewTokens: 48, temperature: 0, topK: 0, stop: [] };
    const a = await collect(chat({ messages, sampling }));
    const b = await collect(chat({ messages, sampling }));
    assert.equal(a.error, undefined, a.error?.details);
    assert.ok(a.deltas.join('').trim().length > 0);
    assert.equal(a.deltas.join(''), b.deltas.join(''));
    assert.ok(['length', 'stop', 'eos'].includes(a.done!.finishReason));
    assert.ok(!a.deltas.join('').includes('\nuser:'));
    // The prompt holds both messages: more prompt tokens than the user message alone.
    const single = await collect(chat({ messages: [messages[1]!], sampling }));
    assert.ok(a.done!.promptTokens > single.done!.promptTokens);

    const bad = await collect(chat({ messages: [messages[0]!, { role: 'robot', content: 'beep' }], sampling }, 10_000));
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT);
    assert.match(bad.error!.details, /messages\[1\]\.role/);
    const none = await collect(chat({ messages: [], sampling }, 10_000));
    assert.equal(none.error?.code, status.INVALID_ARGUMENT);
    assert.match(none.error!.details, /messages/);
  });
});
