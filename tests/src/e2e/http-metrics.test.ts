// End-to-end: GET /metrics of a real tabagent-server in Prometheus text format, scraped before and
// after real traffic through the openai SDK: the request counter and duration histogram move by
// the requests made (by method, model and status), the token counters by the usage the answers
// reported, and the ML child restart counter by one after the child is killed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI, { NotFoundError } from 'openai';
import { sharedDir } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

const LLM = 'karpathy/stories260K';
const CHAT = 'POST /v1/chat/completions';

/** One sample line: name, labels, value. */
interface Sample { name: string; labels: Record<string, string>; value: number }

/** Parses the Prometheus text format (no escaped quotes in our label values). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the sample with this name whose labels include `want` (0 when absent). */
function value(samples: Sample[], name: string, want: Record<string, string> = {}): number {
  const hits = samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
  assert.ok(hits.length <= 1, `${name} ${JSON.stringify(want)} matches ${hits.length} samples`);
  return hits[0]?.value ?? 0;
}

describe('GET /metrics after real traffic', () => {
  let server: ServerUnderTest;
  let base: string;
  let openai: OpenAI;
  const scrape = async (): Promise<Sample[]> => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models')] });
    base = `http://127.0.0.1:${server.httpPort}`;
    openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('counts requests, durations and tokens by the amounts of the traffic', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me a story.' }];
    // Load the model first so the counted requests are the ones below.
    await openai.chat.completions.create({ model: LLM, messages, max_tokens: 2 });
    const start = await scrape();
    const a = await openai.chat.completions.create({ model: LLM, messages, temperature: 0, max_tokens: 12 });
    const b = await openai.chat.completions.create({ model: LLM, messages, temperature: 0.8, seed: 5, max_tokens: 20 });
    const stream = await openai.chat.completions.create({ model: LLM, messages, temperature: 0, max_tokens: 7, stream: true, stream_options: { include_usage: true } });
    let streamed: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const c of stream) if (c.usage) streamed = c.usage;
    const missing = await openai.chat.completions.create({ model: 'nobody/no-such-model', messages }).then(() => undefined, (e: unknown) => e);
    assert.ok(missing instanceof NotFoundError);
    const end = await scrape();

    const delta = (name: string, labels: Record<string, string>): number => value(end, name, labels) - value(start, name, labels);
    const ok = { surface: 'http', method: CHAT, model: LLM, code: '200' };
    assert.equal(delta('tabagent_requests_total', ok), 3);
    assert.equal(delta('tabagent_requests_total', { surface: 'http', method: CHAT, model: '', code: '404' }), 1);
    assert.equal(delta('tabagent_request_duration_seconds_count', { surface: 'http', method: CHAT, model: LLM }), 3);
    const seconds = delta('tabagent_request_duration_seconds_sum', { surface: 'http', method: CHAT, model: LLM });
    assert.ok(seconds > 0, `duration sum moved by ${seconds}`);
    assert.equal(delta('tabagent_request_duration_seconds_bucket', { surface: 'http', method: CHAT, model: LLM, le: '+Inf' }), 3);
    assert.ok(streamed);
    const usages = [a.usage!, b.usage!, streamed];
    assert.equal(delta('tabagent_generated_tokens_total', { model: LLM }), usages.reduce((s, u) => s + u.completion_tokens, 0));
    assert.equal(delta('tabagent_prompt_tokens_total', { model: LLM }), usages.reduce((s, u) => s + u.prompt_tokens, 0));
    assert.equal(a.usage!.completion_tokens, 12);
    // Every counter follows Prometheus naming: one prefix, _total on counters.
    const names = new Set(end.map((s) => s.name));
    assert.ok([...names].every((n) => n.startsWith('tabagent_')), [...names].join(', '));
  });

  it('counts one ML child restart after the child is killed', async () => {
    assert.equal(value(await scrape(), 'tabagent_ml_child_restarts_total'), 0);
    const [childPid] = server.childPids();
    assert.ok(childPid !== undefined);
    process.kill(childPid, 'SIGKILL');
    await server.waitForLog(/"msg":"ML child exited"/, 20_000);
    await waitServing(server.address, 'tabagent.ml', 30_000);
    assert.equal(value(await scrape(), 'tabagent_ml_child_restarts_total'), 1);
  });
});
