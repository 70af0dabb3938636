// End-to-end: --tls-cert / --tls-key with a self-signed certificate made here. A gRPC client that
// trusts the certificate is served (ModelManagement and a greedy Generate through the child); a
// plain-text client and one trusting only the system's CAs are refused at the handshake. The HTTP
// API speaks HTTPS (its routes reach the gRPC API over the private socket), and plain HTTP on its
// port gets no answer. The CLI talks to it with --tls-ca. Bad flag combinations and files fail at
// start with a message naming the flag.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status, type ChannelCredentials } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { GenerateRequest, TextClient, type GenerateResponse } from '@tabagent/protos/v1/text';
import { generate as makeCertificate } from 'selfsigned';
import { parseConfig } from '../../../supervisor/dist/config/config.js';
import { call, expectGrpcError } from '../support/clients.js';
import { runCli } from '../support/cli-process.js';
import { repoRoot, serverCli } from '../support/paths.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';

const STORIES = 'karpathy/stories260K';

/** A self-signed certificate for localhost and 127.0.0.1. */
async function selfSigned(): Promise<{ cert: string; key: string }> {
  const pems = await makeCertificate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', curve: 'P-256', notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** An HTTP(S) GET; resolves with status and body, rejects on a transport or TLS error. */
function get(url: string, opts: { ca?: string } = {}): Promise<{ status: number; body: string }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: opts.ca, servername: 'localhost', timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

function greedy(client: TextClient): Promise<number[]> {
  const req = GenerateRequest.fromPartial({ model: STORIES, prompt: 'Once upon a time', sampling: { maxNewTokens: 6, temperature: 0, topK: 0 } });
  return new Promise((resolve, reject) => {
    const ids: number[] = [];
    const s = client.generate(req, new Metadata(), { deadline: new Date(Date.now() + 60_000) });
    s.on('data', (r: GenerateResponse) => ids.push(...(r.delta?.tokenIds ?? [])));
    s.on('error', reject);
    s.on('end', () => resolve(ids));
  });
}

describe('TLS on the public listeners', () => {
  let dir = '';
  let pem: { cert: string; key: string };
  let certFile = '';
  let keyFile = '';
  let server: ServerUnderTest;

  before(async () => {
    dir = tempDir('tabagent-tls-');
    pem = await selfSigned();
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    writeFileSync(certFile, pem.cert);
    writeFileSync(keyFile, pem.key, { mode: 0o600 });
    server = await startServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile], tlsCa: Buffer.from(pem.cert) });
  });
  after(async () => {
    if (server) await server.stop('SIGTERM');
  });

  it('serves a gRPC client that trusts the certificate, through to the ML child', async () => {
    const creds = credentials.createSsl(Buffer.from(pem.cert));
    const models = new ModelManagementClient(server.address, creds, grpcChannelOptions());
    const text = new TextClient(server.address, creds, grpcChannelOptions());
    try {
      const list = await call(models, models.listModels, { loadedOnly: false });
      assert.ok(list.models.some((m) => m.id === STORIES), 'the catalog is listed');
      const ids = await greedy(text);
      assert.equal(ids.length, 6);
    } finally {
      models.close();
      text.close();
    }
    assert.ok(server.logs.some((l) => l.includes('"msg":"tabagent-server listening"') && l.includes('"tls":true')));
  });

  it('refuses a plain-text client and one that trusts only the system CAs', async () => {
    const attempts: Array<[string, ChannelCredentials]> = [['plain text', credentials.createInsecure()], ['system CAs', credentials.createSsl()]];
    for (const [label, creds] of attempts) {
      const models = new ModelManagementClient(server.address, creds, grpcChannelOptions());
      try {
        const err = await expectGrpcError(call(models, models.listModels, { loadedOnly: false }, { timeoutMs: 5_000 }));
        assert.ok(err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED, `${label}: ${status[err.code]} ${err.details}`);
      } finally {
        models.close();
      }
    }
  });

  it('serves HTTPS to a client that trusts the certificate; without it the handshake fails; plain HTTP gets no answer', async () => {
    const base = `https://127.0.0.1:${server.httpPort}`;
    const models = await get(`${base}/v1/models`, { ca: pem.cert });
    assert.equal(models.status, 200, models.body);
    assert.ok((JSON.parse(models.body) as { data: Array<{ id: string }> }).data.some((m) => m.id === STORIES), 'the routes reach the gRPC API');
    assert.equal((await get(`${base}/healthz`, { ca: pem.cert })).status, 200);
    await assert.rejects(get(`${base}/healthz`), (e: NodeJS.ErrnoException) => /SELF_SIGNED|self-signed|unable to verify/i.test(`${e.code} ${e.message}`));
    const plain = await get(`http://127.0.0.1:${server.httpPort}/healthz`).then((r) => r.status, (e: Error) => e.message);
    assert.notEqual(plain, 200, 'plain HTTP is not served on the HTTPS port');
  });

  it('the CLI talks TLS with --tls-ca (or TABAGENT_TLS_CA) and fails without it', async () => {
    const ok = await runCli(server.address, ['--tls-ca', certFile, 'models', 'list'], 60_000);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /karpathy\/stories260K/);
    const env = await runCli(server.address, ['models', 'list'], 60_000, { env: { TABAGENT_TLS_CA: certFile } });
    assert.equal(env.code, 0, env.stderr);
    const plain = await runCli(server.address, ['models', 'list'], 60_000);
    assert.equal(plain.code, 1, plain.stdout);
    const missing = await runCli(server.address, ['--tls-ca', join(dir, 'missing.pem'), 'models', 'list'], 60_000);
    assert.equal(missing.code, 2, 'an unreadable --tls-ca is a usage error');
    assert.match(missing.stderr, /--tls-ca: cannot read .*missing\.pem/);
  });

  it('refuses to start with one flag of the pair, an unreadable file, a non-PEM file or a key of another certificate', async () => {
    const other = await selfSigned();
    const otherKey = join(dir, 'other-key.pem');
    writeFileSync(otherKey, other.key);
    writeFileSync(join(dir, 'not-pem.txt'), 'hello');
    const cases: Array<[string[], RegExp]> = [
      [['--tls-cert', certFile], /--tls-cert and --tls-key go together: --tls-key is missing/],
      [['--tls-key', keyFile], /--tls-key and|--tls-cert is missing/],
      [['--tls-cert', join(dir, 'nope.pem'), '--tls-key', keyFile], /--tls-cert: cannot read .*nope\.pem \(ENOENT\)/],
      [['--tls-cert', certFile, '--tls-key', join(dir, 'not-pem.txt')], /--tls-key: .*not-pem\.txt is not a PEM file/],
      [['--tls-cert', certFile, '--tls-key', otherKey], /do not form a usable certificate and key/],
    ];
    for (const [args, re] of cases) assert.throws(() => parseConfig(args), (e: Error) => re.test(e.message), args.join(' '));
    // the same through a real start, with the environment fallbacks
    const env = { ...process.env, TABAGENT_TLS_CERT: certFile, TABAGENT_TLS_KEY: join(dir, 'nope.pem') };
    const r = spawnSync(process.execPath, [serverCli, '--port', '0', '--no-http'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /--tls-key: cannot read .*nope\.pem \(ENOENT\)/);
  });
});
