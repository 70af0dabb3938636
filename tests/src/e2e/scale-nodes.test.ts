// End-to-end: one supervisor and three `--mode ml` nodes as separate processes, each in its own
// network namespace with its own address when the test runs as root (loopback ports otherwise; the
// mode is logged). Endpoints are given comma-separated and repeated; a fourth node joins later
// through the endpoints file. A model placed on every node (replicas 0) serves calls spread over all
// of them, counted by each node's own Runtime.Status; a node SIGKILLed under 8 concurrent clients
// costs no unary request; the node that joins later receives work; the killed node, started again on
// its address, gets its model back without a LoadModel call and serves again; lowering the replicas
// under load retires the extra copies without failing a call. GetRuntimeStatus lists every node.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MODEL_IDS } from '@tabagent/common';
import { ModelState, type ModelInfo } from '@tabagent/protos/v1/model_management';
import { PixelFormat, TrackTask, type DeepPartial, type Frame, type TrackResponse } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { call, connect, type PublicClients } from '../support/clients.js';
import { freePort, nodeRequests, nodeStatus, startMl } from '../support/ml-nodes.js';
import { nodeNetwork, type NodeSlot } from '../support/node-network.js';
import { sharedDir, testImage } from '../support/paths.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';
import { openTrack, vision } from './vision-helpers.js';

const FACE = MODEL_IDS.faceDetector;
const CLIENTS = 8;

/** `clients` loops of DetectFaces on portrait.jpg until `stop()` is true; every answer must hold the one face. */
async function load(c: PublicClients, clients: number, stop: (done: number) => boolean): Promise<{ ok: number; errors: string[] }> {
  const frame = await smallPortrait();
  let ok = 0;
  const errors: string[] = [];
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!stop(ok + errors.length)) {
      try {
        const res = await vision(c, 'detectFaces', { frame, model: FACE });
        if (res.faces.length === 1 && (res.faces[0]?.score ?? 0) > 0.5) ok += 1;
        else errors.push(`wrong answer: ${res.faces.length} faces`);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  }));
  return { ok, errors };
}

/** portrait.jpg as a small raw RGB frame (no JPEG decode on the nodes: the test is about routing). */
async function smallPortrait(): Promise<DeepPartial<Frame>> {
  const { data, info } = await sharp(testImage('portrait.jpg')).removeAlpha().resize(205, 256).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, format: PixelFormat.PIXEL_FORMAT_RGB };
}

/** Polls GetModel until `pred` holds (the supervisor's per-node view). */
async function waitModel(c: PublicClients, pred: (m: ModelInfo) => boolean, what: string, timeoutMs = 30_000): Promise<ModelInfo> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = await call(c.models, c.models.getModel, { model: FACE });
    if (pred(m)) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(m.nodes)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const readyOn = (m: ModelInfo, node: string): boolean => m.nodes.some((n) => n.node === node && n.state === ModelState.MODEL_STATE_READY);

describe('scale-out: one supervisor, several --mode ml nodes', () => {
  const secret = randomBytes(18).toString('base64url');
  const ml = new Map<string, ChildProcess>();
  let server: ServerUnderTest | undefined;
  let c: PublicClients | undefined;
  const net = nodeNetwork(4);
  after(async () => {
    c?.close();
    for (const p of ml.values()) p.kill('SIGKILL');
    if (server) await server.stop('SIGTERM');
    net.cleanup();
  });

  it('spreads calls over every node holding the model, loses no request to a SIGKILLed node, feeds a node that joins, and reloads a node that returns', async () => {
    const t0 = Date.now();
    const phase = (name: string): void => void process.stdout.write(`${name}: ${Date.now() - t0} ms\n`);
    const port = await freePort();
    const files = `${net.hostIp}:${port}`;
    // The fourth node starts now too (as a machine would boot), but joins only later.
    const started = await Promise.all(net.slots.map((slot) => startMl(slot.listen, files, secret, [], slot.wrap)));
    const [a, b0, d, j] = started.map((s) => s.address) as [string, string, string, string];
    let b = b0;
    const slotOf = new Map<string, NodeSlot>();
    started.forEach((s, i) => {
      ml.set(s.address, s.proc);
      slotOf.set(s.address, net.slots[i]!);
    });
    if (net.mode === 'netns') {
      assert.deepEqual(started.map((s) => s.address), net.slots.map((slot) => slot.listen), 'each node listens on its own namespace address');
      assert.equal(new Set(started.map((s) => s.address.split(':')[0])).size, 4, 'four distinct node addresses');
      // The process a kill hits is node itself (ip netns exec execs it), each in a network namespace of its own.
      const netns = (pid: number | string): string => readlinkSync(`/proc/${pid}/ns/net`);
      for (const s of started) assert.equal(readFileSync(`/proc/${s.proc.pid}/comm`, 'utf8').trim(), 'node');
      assert.equal(new Set([netns('self'), ...started.map((s) => netns(s.proc.pid ?? 0))]).size, 5, 'five network namespaces: the supervisor\'s and one per node');
    }
    const endpointsFile = join(tempDir('tabagent-scale-'), 'endpoints');
    writeFileSync(endpointsFile, '# more ML nodes, one a line\n');
    server = await startServer({
      args: ['--mode', 'supervisor', '--ml-endpoint', `${a},${b}`, '--ml-endpoint', d, '--ml-endpoints-file', endpointsFile,
        '--ml-resolve-interval-ms', '200', '--host', net.bindHost, '--port', String(port), '--shared-models-dir', join(sharedDir(), 'models')],
      env: { TABAGENT_ML_SECRET: secret },
    });
    c = connect(server.address);
    phase('nodes and supervisor up');

    // Placed on every node.
    const loaded = await call(c.models, c.models.loadModel, { model: FACE, options: { devices: [], threads: 1, keepAliveSeconds: -1, replicas: 0 } }, { timeoutMs: 120_000 });
    assert.equal(loaded.model?.replicas, 0);
    const placed = await waitModel(c, (m) => [a, b, d].every((n) => readyOn(m, n)), 'the model on all three nodes');
    assert.deepEqual(placed.nodes.map((n) => n.node).sort(), [a, b, d].sort());

    // GetRuntimeStatus reports every node, each with its own Runtime.Status.
    const rt = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(rt.state, 'ready');
    assert.deepEqual(rt.nodes.map((n) => [n.node, n.nodeState, n.state]), [a, b, d].sort().map((n) => [n, 'up', 'ready']));
    for (const n of rt.nodes) assert.ok(n.runtime?.models.some((m) => m.model === FACE) && n.runtime.pid > 0, `${n.node} reports its own models`);
    assert.equal(new Set(rt.nodes.map((n) => n.runtime?.pid)).size, 3, 'three node processes');

    phase('model on three nodes');
    // Spread: each node's own count of requests it ran.
    const total = 60;
    const spread = await load(c, CLIENTS, (done) => done >= total);
    assert.deepEqual(spread.errors, []);
    const counts = await Promise.all([a, b, d].map((n) => nodeRequests(n, secret, FACE)));
    process.stdout.write(`DetectFaces per node over ${spread.ok} calls: ${counts.join(' / ')}\n`);
    assert.equal(counts.reduce((x, y) => x + y, 0), spread.ok, 'every call ran on exactly one node');
    for (const n of counts) assert.ok(n >= spread.ok / 10, `every node took a share: ${counts.join(' / ')}`);
    const view = await call(c.models, c.models.getModel, { model: FACE });
    assert.equal(view.nodes.reduce((s, n) => s + n.routedTotal, 0), spread.ok, 'the supervisor routed each call once');

    phase('spread');
    // A Track stream runs meanwhile; the node it runs on (the one with a call in flight while no unary
    // call runs) is the one SIGKILLed under 8 clients: no unary request is lost and the stream moves.
    const frame = await smallPortrait();
    const track = openTrack(c);
    const answers: Array<{ r: TrackResponse; at: number }> = [];
    const take = (r: TrackResponse): void => void answers.push({ r, at: Date.now() });
    let ts = 1_000_000;
    const sendFrame = (): void => track.send({ timestampUs: (ts += 33_333), task: TrackTask.TRACK_TASK_FACES, frame });
    sendFrame();
    take(await track.next(30_000));
    const victim = (await waitModel(c, (m) => m.nodes.some((n) => n.inFlight > 0), 'the Track stream holding a node')).nodes.find((n) => n.inFlight > 0)?.node;
    assert.ok(victim && [a, b, d].includes(victim));
    b = victim;
    const pump = setInterval(sendFrame, 40);
    const collect = (async () => {
      for (;;) take(await track.next(10_000));
    })().catch((err: unknown) => err);
    let killedAt = 0;
    const killer = setTimeout(() => {
      killedAt = Date.now();
      ml.get(b)?.kill('SIGKILL');
    }, 700);
    const underKill = await load(c, CLIENTS, () => killedAt > 0 && Date.now() - killedAt > 1_500);
    clearTimeout(killer);
    clearInterval(pump);
    const [rest] = await Promise.all([track.finish(20_000), collect]);
    rest.forEach(take);
    const statuses = new Set(answers.map(({ r }) => r.status));
    assert.deepEqual([...statuses].filter((st) => st !== '' && st !== 'dropped: restarting'), [], 'every frame has a result or "dropped: restarting"');
    const tracked = answers.filter(({ r }) => r.status === '' && r.faces?.faces.length === 1);
    const resumed = tracked.filter(({ at }) => at > killedAt + 200).length;
    process.stdout.write(`Track: ${answers.length} answers, ${tracked.length} with the face, ${resumed} after the kill\n`);
    assert.ok(resumed >= 3, `the stream tracks the face again after its node was killed (${resumed} results)`);
    assert.deepEqual(underKill.errors, [], 'no request failed while a node died');
    assert.ok(underKill.ok > CLIENTS, `${underKill.ok} requests answered`);
    const lostView = await waitModel(c, (m) => !readyOn(m, b), 'node b shown not ready');
    assert.equal(lostView.state, ModelState.MODEL_STATE_READY, 'the model stays READY on the other nodes');
    assert.equal(lostView.nodes.find((n) => n.node === b)?.state, ModelState.MODEL_STATE_LOADING, 'b waits for its node to return');
    const rtLost = await call(c.models, c.models.getRuntimeStatus, {});
    const lostNode = rtLost.nodes.find((n) => n.node === b);
    assert.equal(lostNode?.nodeState, 'down', 'the killed node is reported down');
    assert.equal(lostNode?.runtime, undefined);
    assert.equal(rtLost.state, 'ready', 'the server is ready while other nodes are up');
    assert.equal(rtLost.nodes.filter((n) => n.nodeState === 'up').length, 2);

    phase('kill');
    // A node that joins later (through the endpoints file) gets the model and receives work.
    // Node b's process starts again meanwhile, on b's address (it joins once it listens).
    const restarting = startMl(b, files, secret, [], slotOf.get(b)?.wrap);
    restarting.then((r) => ml.set(b, r.proc), () => undefined);
    writeFileSync(endpointsFile, `# more ML nodes, one a line\n${j}\n`);
    await waitModel(c, (m) => readyOn(m, j), 'the model on the joined node');
    const afterJoin = await load(c, CLIENTS, (done) => done >= 40);
    assert.deepEqual(afterJoin.errors, []);
    assert.ok(await nodeRequests(j, secret, FACE) > 0, 'the joined node ran requests');

    phase('join');
    // The killed node returns on its address: it gets its model back by itself and serves again.
    const back = await restarting;
    ml.set(b, back.proc);
    await waitModel(c, (m) => readyOn(m, b), 'the model back on node b');
    const afterReturn = await load(c, CLIENTS, (done) => done >= 48);
    assert.deepEqual(afterReturn.errors, []);
    assert.ok(await nodeRequests(b, secret, FACE) > 0, 'the returned node ran requests');

    phase('return');
    // Fewer replicas under load: the copies past the new count are retired (no new calls, unloaded
    // once their running calls end) and no call fails.
    const all = [a, b, d, j];
    let trimmedAt = 0;
    const busy = load(c, CLIENTS, () => trimmedAt > 0 && Date.now() - trimmedAt > 300);
    await call(c.models, c.models.loadModel, { model: FACE, options: { devices: [], threads: 1, keepAliveSeconds: -1, replicas: 1 } });
    const one = await waitModel(c, (m) => m.nodes.length === 1 && readyOn(m, m.nodes[0]?.node ?? ''), 'one copy left');
    trimmedAt = Date.now();
    const trimmed = await busy;
    assert.deepEqual(trimmed.errors, [], 'no call failed while copies were retired');
    assert.ok(trimmed.ok > CLIENTS, `${trimmed.ok} requests answered`);
    const kept = one.nodes[0]?.node ?? '';
    // The unload on a retired node follows its last call; give it a moment.
    const loadedOn = async (): Promise<boolean[]> => Promise.all(all.map(async (n) => (await nodeStatus(n, secret)).models.some((m) => m.model === FACE)));
    let held = await loadedOn();
    for (let end = Date.now() + 10_000; held.filter(Boolean).length > 1 && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 100));
      held = await loadedOn();
    }
    assert.deepEqual(held, all.map((n) => n === kept), `only ${kept} still has the model loaded`);
    process.stdout.write(`scale-out scenario took ${Date.now() - t0} ms\n`);
  });
});
