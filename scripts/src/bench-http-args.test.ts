import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHttpBenchArgs } from './bench-http-args.js';
import { replyProblem } from './load/workloads/text.js';

describe('bench:http flags', () => {
  it('defaults: 6 s in 3 rounds at concurrency 1 and 16, 64 tokens', () => {
    assert.deepEqual(parseHttpBenchArgs([]), { seconds: 6, levels: [1, 16], rounds: 3, tokens: 64, only: ['embeddings', 'chat'], httpClient: 'keepalive', help: false });
  });

  it('flags (spaced or with =) win over the environment, which wins over the defaults', () => {
    const a = parseHttpBenchArgs(['--seconds', '2', '--levels=4'], { TABAGENT_BENCH_HTTP_SECONDS: '9', TABAGENT_BENCH_HTTP_ROUNDS: '5' });
    assert.equal(a.seconds, 2);
    assert.deepEqual(a.levels, [4]);
    assert.equal(a.rounds, 5);
    assert.equal(parseHttpBenchArgs(['-h']).help, true);
  });

  it('--only picks the comparisons (in a fixed order), from the flag or the environment', () => {
    assert.deepEqual(parseHttpBenchArgs(['--only', 'embeddings']).only, ['embeddings']);
    assert.deepEqual(parseHttpBenchArgs([], { TABAGENT_BENCH_HTTP_ONLY: 'chat' }).only, ['chat']);
    assert.deepEqual(parseHttpBenchArgs(['--only=chat,embeddings']).only, ['embeddings', 'chat']);
    assert.throws(() => parseHttpBenchArgs(['--only', 'vision']), /--only takes embeddings and\/or chat, got "vision"/);
    assert.throws(() => parseHttpBenchArgs(['--only', ',']), /--only needs at least one/);
  });

  it('--http-client is keepalive or fetch', () => {
    assert.equal(parseHttpBenchArgs(['--http-client', 'fetch']).httpClient, 'fetch');
    assert.equal(parseHttpBenchArgs([], { TABAGENT_BENCH_HTTP_CLIENT: 'fetch' }).httpClient, 'fetch');
    assert.throws(() => parseHttpBenchArgs(['--http-client', 'axios']), /--http-client takes keepalive or fetch, got "axios"/);
  });

  it('refuses unknown flags and bad numbers, naming them', () => {
    assert.throws(() => parseHttpBenchArgs(['--window-ms', '3']), /unknown flag --window-ms/);
    assert.throws(() => parseHttpBenchArgs(['--levels', '1,x']), /--levels must be a positive integer, got "x"/);
    assert.throws(() => parseHttpBenchArgs(['--rounds', '1.5']), /--rounds must be a positive integer/);
    assert.throws(() => parseHttpBenchArgs(['--levels', ',']), /--levels needs at least one/);
  });
});

describe('chat reply check', () => {
  const want = { text: 'Once upon a time', tokens: 4 };
  it('accepts only the reference text with its token count', () => {
    assert.equal(replyProblem({ ...want }, want), undefined);
    assert.match(replyProblem({ text: want.text, tokens: 3 }, want) ?? '', /expected 4 tokens, got 3/);
    assert.match(replyProblem({ text: 'Once upon a tim', tokens: 4 }, want) ?? '', /text differs/);
  });
});
