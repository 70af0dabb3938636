// End-to-end: `tabagent chat` with piped turns against a real tabagent-server that requires a
// token: each reply equals gRPC Chat's greedy answer for the same history; --token and its env
// fallback are sent as the bearer token, and a missing or wrong one exits 1 with UNAUTHENTICATED.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import type { ChatMessage, GenerateResponse } from '@tabagent/protos/v1/text';
import { connect, type PublicClients } from '../support/clients.js';
import { runCli } from '../support/cli-process.js';
import { sharedDir } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'karpathy/stories260K';
const TOKEN = 'cli-test-token-1234';

describe('tabagent chat and --token (CLI subprocess)', () => {
  let server: ServerUnderTest;
  let c: PublicClients;

  /** gRPC Chat's greedy reply to `messages`, 32 tokens. */
  const grpcReply = (messages: ChatMessage[]): Promise<string> => new Promise((resolve, reject) => {
    const meta = new Metadata();
    meta.set('authorization', `Bearer ${TOKEN}`);
    let text = '';
    const s = c.text.chat({ model: MODEL, messages, sampling: { maxNewTokens: 32, temperature: 0, topK: 0, stop: [] } }, meta);
    s.on('data', (r: GenerateResponse) => (text += r.delta?.text ?? ''));
    s.on('error', reject);
    s.on('end', () => resolve(text));
  });

  before(async () => {
    server = await startServer({ args: ['--auth-token', TOKEN, '--shared-models-dir', join(sharedDir(), 'models')] });
    c = connect(server.address);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop();
  });

  it('two piped turns: each reply equals gRPC Chat on the same history (the first reply stays in it)', async () => {
    const turns = ['Tell me about a cat.', 'What did the dog do?'];
    const run = await runCli(server.address, ['--token', TOKEN, 'chat', '--max-tokens', '32'], 300_000, { input: `${turns.join('\n')}\n` });
    assert.equal(run.code, 0, run.stderr);
    const first = await grpcReply([{ role: 'user', content: turns[0]! }]);
    const second = await grpcReply([{ role: 'user', content: turns[0]! }, { role: 'assistant', content: first }, { role: 'user', content: turns[1]! }]);
    assert.ok(first.length > 10 && second.length > 10);
    assert.equal(run.stdout, `${first}\n${second}\n`);
  });

  it('the token comes from TABAGENT_TOKEN too; without it or with a wrong one the CLI exits 1 with UNAUTHENTICATED', async () => {
    const viaEnv = await runCli(server.address, ['models', 'list', '--json'], 60_000, { env: { TABAGENT_TOKEN: TOKEN } });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok((JSON.parse(viaEnv.stdout) as { id: string }[]).some((m) => m.id === MODEL));
    for (const args of [['models', 'list'], ['--token', 'wrong-token', 'models', 'list']]) {
      const run = await runCli(server.address, args, 60_000, { env: { TABAGENT_TOKEN: '' } });
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /UNAUTHENTICATED/);
      assert.equal(run.stdout, '');
    }
  });
});
