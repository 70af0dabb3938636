// Text engine behaviour on the converted stories260K model: streaming, UTF-8, seeds, stop, cancellation, validation.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chat, decodeIds, Detokenizer, encodeText, generate, generateText, renderChat, type GenerationEvent, type GenerateOptions, type TextModel,
} from '../../../ml-service/dist/text/transformers/index.js';
import { loadStories, storiesFile } from './stories.js';

let model: TextModel;
before(async () => {
  model = await loadStories();
});
after(async () => {
  await model.dispose();
});

async function collect(events: AsyncIterable<GenerationEvent>): Promise<{ deltas: string[]; ids: number[]; final: Extract<GenerationEvent, { type: 'final' }> }> {
  const deltas: string[] = [];
  const ids: number[] = [];
  for await (const e of events) {
    if (e.type === 'final') return { deltas, ids, final: e };
    deltas.push(e.delta);
    ids.push(...e.tokenIds);
  }
  throw new Error('no final event');
}

const golden = new TextDecoder().decode(storiesFile('golden.empty_prompt.greedy256.txt'));

test('streamed deltas concatenate to the full text and carry every generated token id', async () => {
  const { deltas, ids, final } = await collect(generate(model, { maxNewTokens: 64 }));
  assert.ok(deltas.length > 10);
  assert.equal(ids.length, 64);
  assert.equal(final.completionTokens, 64);
  const text = deltas.join('');
  assert.equal(text, decodeIds(model, [1, ...ids]));
  assert.ok(golden.startsWith(text));
  assert.ok(final.timeToFirstTokenMs > 0 && final.tokensPerSecond > 0);
});

test('byte-fallback characters are never split across deltas', () => {
  const text = 'café ☕ naïve 日本 “quoted” 🙂!';
  const ids = encodeText(model, text);
  assert.ok(ids.filter((id) => id >= 3 && id < 259).length >= 13, 'expected byte-fallback tokens');
  const d = new Detokenizer((x) => decodeIds(model, x), [1]);
  const deltas = ids.map((id) => d.push(id));
  deltas.push(d.flush());
  assert.equal(deltas.join(''), text);
  for (const delta of deltas) {
    assert.ok(!delta.includes('\uFFFD'), `split character in ${JSON.stringify(delta)}`);
    assert.ok(!/[\uD800-\uDBFF]$/.test(delta), 'lone high surrogate');
  }
  // While the three bytes of ☕ arrive, nothing is emitted until the last one.
  const cup = encodeText(model, '☕');
  const d2 = new Detokenizer((x) => decodeIds(model, x), [1]);
  assert.deepEqual(cup.map((id) => d2.push(id)), ['', '', '', '☕'].slice(4 - cup.length));
});

test('seeded sampling is reproducible and the seed matters', async () => {
  const opts: GenerateOptions = { prompt: 'Once upon a time', maxNewTokens: 48, temperature: 1, topK: 40, topP: 0.95, seed: 1234 };
  const a = await generateText(model, opts);
  const b = await generateText(model, opts);
  const c = await generateText(model, { ...opts, seed: 99 });
  assert.deepEqual(a.tokenIds, b.tokenIds);
  assert.equal(a.text, b.text);
  assert.notDeepEqual(a.tokenIds, c.tokenIds);
  const greedy = await generateText(model, { prompt: 'Once upon a time', maxNewTokens: 48 });
  assert.notDeepEqual(a.tokenIds, greedy.tokenIds);
});

test('stop strings end generation right before the match, even across deltas', async () => {
  const r = await generateText(model, { maxNewTokens: 100, stop: ['Lily.', 'never'] });
  assert.equal(r.finishReason, 'stop');
  assert.equal(r.text, 'Once upon a time, there was a little girl named ');
  const r2 = await generateText(model, { maxNewTokens: 100, stop: ['tle gi'] });
  assert.equal(r2.text, 'Once upon a time, there was a lit');
  assert.equal(r2.finishReason, 'stop');
});

test('cancellation stops within one token', async () => {
  const controller = new AbortController();
  let received = 0;
  let final: Extract<GenerationEvent, { type: 'final' }> | undefined;
  for await (const e of generate(model, { maxNewTokens: 200, signal: controller.signal })) {
    if (e.type === 'final') final = e;
    else {
      received += e.tokenIds.length;
      if (received >= 5) controller.abort();
    }
  }
  assert.equal(final?.finishReason, 'cancelled');
  assert.ok(final.completionTokens >= 5 && final.completionTokens <= received + 1, `${final.completionTokens} vs ${received}`);

  const pre = await generateText(model, { maxNewTokens: 10, signal: AbortSignal.abort() });
  assert.equal(pre.finishReason, 'cancelled');
  assert.equal(pre.completionTokens, 0);
  assert.equal(pre.text, '');
});

test('invalid options fail with TEXT_INVALID_ARGUMENT naming the field', async () => {
  const cases: [GenerateOptions, string][] = [
    [{ temperature: -0.5 }, 'temperature'],
    [{ maxNewTokens: 600 }, 'maxNewTokens'],
    [{ maxNewTokens: 0 }, 'maxNewTokens'],
    [{ prompt: '', addBos: false }, 'prompt'],
    [{ topP: 0 }, 'topP'],
    [{ topK: 1.5 }, 'topK'],
    [{ repetitionPenalty: 0 }, 'repetitionPenalty'],
    [{ inputIds: [1, 512] }, 'inputIds[1]'],
    [{ stop: [''] }, 'stop[0]'],
  ];
  for (const [opts, field] of cases) {
    await assert.rejects(generateText(model, opts), (e: unknown) => {
      const err = e as { code?: string; field?: string; message: string };
      return err.code === 'TEXT_INVALID_ARGUMENT' && err.field === field && err.message.startsWith(field);
    }, field);
  }
  await assert.rejects(
    generateText(model, { prompt: 'x'.repeat(600), maxNewTokens: 1 }),
    { code: 'TEXT_INVALID_ARGUMENT', field: 'maxNewTokens' },
  );
  const bad = chat(model, [{ role: 'wizard' as 'user', content: 'hi' }]);
  await assert.rejects(bad.next(), { code: 'TEXT_INVALID_ARGUMENT', field: 'messages[0].role' });
});

test('chat without a template uses the plain "role: content" transcript', async () => {
  const messages = [{ role: 'system' as const, content: 'You tell stories.' }, { role: 'user' as const, content: 'Tell me about Lily.' }];
  const rendered = renderChat(model, messages);
  assert.equal(rendered.prompt, 'system: You tell stories.\nuser: Tell me about Lily.\nassistant:');
  assert.deepEqual(rendered.stop, ['\nuser:', '\nsystem:']);
  const { deltas, final } = await collect(chat(model, messages, { maxNewTokens: 30 }));
  assert.ok(final.promptTokens > 10);
  assert.ok(final.completionTokens >= 1 && final.completionTokens <= 30);
  assert.ok(!deltas.join('').includes('\nuser:'));
});

test('repetition penalty changes greedy output and a disposed model refuses work', async () => {
  const plain = await generateText(model, { maxNewTokens: 64 });
  const penalized = await generateText(model, { maxNewTokens: 64, repetitionPenalty: 1.3 });
  assert.notEqual(plain.text, penalized.text);
  const other = await loadStories(1);
  await other.dispose();
  await other.dispose();
  assert.equal(other.disposed, true);
  await assert.rejects(generateText(other, { maxNewTokens: 1 }), { code: 'TEXT_MODEL_DISPOSED' });
});
