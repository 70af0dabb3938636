// End-to-end: the supervisor finds its ML nodes through a real DNS server, as behind a Kubernetes
// headless Service. A UDP DNS responder (in the test) answers `ml.tabagent.test` with three loopback
// addresses (127.0.0.2-4, one port, one `--mode ml` process each); the supervisor is pointed at it by
// --ml-dns-server and re-resolves `dns:///ml.tabagent.test:PORT` every 200 ms. Calls spread over the
// three; a record removed from the answer makes its node leave (no call reaches it any more); the
// record added again makes the node join, get the model and receive work.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { MODEL_IDS } from '@tabagent/common';
import { ModelState, type ModelInfo } from '@tabagent/protos/v1/model_management';
import { PixelFormat, type DeepPartial, type Frame } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { call, connect, type PublicClients } from '../support/clients.js';
import { startDnsResponder, type DnsResponder } from '../support/dns-responder.js';
import { freePort, nodeRequests, startMl } from '../support/ml-nodes.js';
import { testImage } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { vision } from './vision-helpers.js';

const FACE = MODEL_IDS.faceDetector;
const NAME = 'ml.tabagent.test';
const IPS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;

async function frame(): Promise<DeepPartial<Frame>> {
  const { data, info } = await sharp(testImage('portrait.jpg')).removeAlpha().resize(205, 256).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, format: PixelFormat.PIXEL_FORMAT_RGB };
}

/** `total` DetectFaces calls from 4 clients; every answer must hold the one face. */
async function calls(c: PublicClients, total: number): Promise<number> {
  const f = await frame();
  let done = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (done < total) {
      done += 1;
      const res = await vision(c, 'detectFaces', { frame: f, model: FACE });
      assert.equal(res.faces.length, 1);
    }
  }));
  return done;
}

async function waitModel(c: PublicClients, pred: (m: ModelInfo) => boolean, what: string): Promise<ModelInfo> {
  const end = Date.now() + 30_000;
  for (;;) {
    const m = await call(c.models, c.models.getModel, { model: FACE });
    if (pred(m)) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(m.nodes)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readyNodes = (m: ModelInfo): string[] => m.nodes.filter((n) => n.state === ModelState.MODEL_STATE_READY).map((n) => n.node).sort();

describe('scale-out: ML nodes found through DNS', () => {
  const secret = randomBytes(18).toString('base64url');
  const ml: ChildProcess[] = [];
  let dns: DnsResponder | undefined;
  let server: ServerUnderTest | undefined;
  let c: PublicClients | undefined;
  after(async () => {
    c?.close();
    for (const p of ml) p.kill('SIGKILL');
    if (server) await server.stop('SIGTERM');
    await dns?.close();
  });

  it('spreads calls over the addresses a name resolves to; a record removed makes its node leave, one added makes it join', async () => {
    const t0 = Date.now();
    const phase = (name: string): void => void process.stdout.write(`${name}: ${Date.now() - t0} ms\n`);
    dns = await startDnsResponder();
    const [mlPort, port] = await Promise.all([freePort(), freePort()]);
    const nodes = IPS.map((ip) => `${ip}:${mlPort}`);
    dns.set(NAME, IPS);
    // The supervisor starts with the nodes (it attaches to each as soon as it listens).
    const [started, srv] = await Promise.all([
      Promise.all(nodes.map(async (n) => {
        const s = await startMl(n, `127.0.0.1:${port}`, secret);
        ml.push(s.proc);
        return s;
      })),
      startServer({
        args: ['--mode', 'supervisor', '--ml-endpoint', `dns:///${NAME}:${mlPort}`, '--ml-dns-server', dns.address,
          '--ml-resolve-interval-ms', '200', '--port', String(port)],
        env: { TABAGENT_ML_SECRET: secret },
      }),
    ]);
    server = srv;
    assert.deepEqual(started.map((s) => s.address), nodes, 'three nodes, one port, three loopback addresses');
    c = connect(server.address);
    phase('nodes and supervisor up');
    assert.ok(dns.queries(NAME) > 0, 'the supervisor asked the DNS server');
    await call(c.models, c.models.loadModel, { model: FACE, options: { devices: [], threads: 1, keepAliveSeconds: -1, replicas: 0 } }, { timeoutMs: 120_000 });
    await waitModel(c, (m) => readyNodes(m).length === 3, 'the model on the three resolved nodes');
    assert.deepEqual(readyNodes(await call(c.models, c.models.getModel, { model: FACE })), [...nodes].sort());

    phase('model on the three nodes');
    // Spread over the three, counted by each node.
    const n1 = await calls(c, 45);
    const spread = await Promise.all(nodes.map((n) => nodeRequests(n, secret, FACE)));
    process.stdout.write(`DetectFaces per resolved node over ${n1} calls: ${spread.join(' / ')}\n`);
    assert.equal(spread.reduce((x, y) => x + y, 0), n1);
    for (const k of spread) assert.ok(k >= n1 / 10, `every node took a share: ${spread.join(' / ')}`);

    phase('spread');
    // The third record leaves the answer: its node leaves, and no call reaches it.
    const [, , gone] = nodes as unknown as [string, string, string];
    dns.set(NAME, IPS.slice(0, 2));
    const left = await waitModel(c, (m) => !m.nodes.some((n) => n.node === gone), 'the removed node to leave');
    assert.deepEqual(readyNodes(left), nodes.slice(0, 2).sort());
    const before = await nodeRequests(gone, secret, FACE);
    await calls(c, 24);
    assert.equal(await nodeRequests(gone, secret, FACE), before, 'a node whose record is gone runs no call');

    phase('left');
    // The record comes back: the node joins, gets the model and runs calls again.
    dns.set(NAME, IPS);
    await waitModel(c, (m) => readyNodes(m).includes(gone), 'the node whose record came back');
    const n3 = await calls(c, 45);
    const view = await call(c.models, c.models.getModel, { model: FACE });
    const routed = view.nodes.find((n) => n.node === gone)?.routedTotal ?? 0;
    process.stdout.write(`after the record came back: ${routed} of ${n3} calls routed to ${gone}; DNS queries: ${dns.queries(NAME)}\n`);
    assert.ok(routed > 0, 'the node that joined again receives work');
    assert.ok(await nodeRequests(gone, secret, FACE) > before, 'and runs it');
    process.stdout.write(`DNS scenario took ${Date.now() - t0} ms\n`);
  });
});
