// End-to-end: the pass-through forwarder (--forwarder pass-through, the default) answers unary Vision
// calls as the grpc-js forwarder does. Two servers with a bearer token, one per forwarder, get the
// same calls: bad input, an unknown model, a missing or wrong token, a deadline too short, a cancel;
// the status codes and x-tabagent-error-code trailers must be equal. Then the pass-through server's
// ML child is SIGKILLed under concurrent unary calls: none is lost (each is replayed on the new child).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { DetectFacesRequest } from '@tabagent/protos/v1/vision';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { testImage } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const FACE = 'mediapipe/face-detection-short';
const TOKEN = 'pass-through-test-token';
const FORWARDERS = ['grpc-js', 'pass-through'] as const;

const bearer = (token = TOKEN): Metadata => {
  const m = new Metadata();
  m.set('authorization', `Bearer ${token}`);
  return m;
};

/** Status code and error code of a failed call. */
const outcome = (e: ServiceError): { code: number; errorCode: string } => ({ code: e.code, errorCode: String(e.metadata?.get(ERROR_CODE_KEY)[0] ?? '') });

describe('pass-through forwarder', () => {
  const servers = new Map<string, { server: ServerUnderTest; c: PublicClients }>();
  const portrait = readFileSync(testImage('portrait.jpg'));
  const good = DetectFacesRequest.fromPartial({ frame: { encoded: portrait } });

  before(async () => {
    for (const f of FORWARDERS) {
      const server = await startServer({ args: ['--mode', 'all', '--forwarder', f, '--auth-token', TOKEN, '--keep-alive', '-1', '--max-restarts', '20', '--stable-after-ms', '500'] });
      const c = connect(server.address);
      servers.set(f, { server, c });
      const listening = await server.waitForLog(/tabagent-server listening/);
      assert.equal(listening['forwarder'], f);
      await call(c.models, c.models.loadModel, { model: FACE, options: undefined }, { meta: bearer() });
    }
  });
  after(async () => {
    for (const { server, c } of servers.values()) {
      c.close();
      await server.stop('SIGTERM');
    }
  });

  /** The outcome of one failing call on each forwarder. */
  async function both(run: (c: PublicClients) => Promise<unknown>): Promise<Array<{ code: number; errorCode: string }>> {
    const out = [];
    for (const f of FORWARDERS) out.push(outcome(await expectGrpcError(run(servers.get(f)!.c))));
    return out;
  }

  it('answers a good call with the same faces on both forwarders', async () => {
    const faces = [];
    for (const f of FORWARDERS) {
      const { c } = servers.get(f)!;
      faces.push((await call(c.vision, c.vision.detectFaces, good, { meta: bearer() })).faces.length);
    }
    assert.deepEqual(faces, [1, 1]);
  });

  it('bad input and an unknown model: equal status codes and error codes', async () => {
    const empty = await both((c) => call(c.vision, c.vision.detectFaces, DetectFacesRequest.fromPartial({ frame: {} }), { meta: bearer() }));
    assert.equal(empty[0]!.code, status.INVALID_ARGUMENT);
    assert.notEqual(empty[0]!.errorCode, '');
    assert.deepEqual(empty[1], empty[0]);
    const unknown = await both((c) => call(c.vision, c.vision.detectFaces, { ...good, model: 'nobody/no-such-model' }, { meta: bearer() }));
    assert.equal(unknown[0]!.code, status.NOT_FOUND);
    assert.deepEqual(unknown[1], unknown[0]);
  });

  it('a missing or wrong token: UNAUTHENTICATED with the same error code', async () => {
    const missing = await both((c) => call(c.vision, c.vision.detectFaces, good));
    assert.deepEqual(missing[0], { code: status.UNAUTHENTICATED, errorCode: 'TA_ERR_UNAUTHENTICATED' });
    assert.deepEqual(missing[1], missing[0]);
    const wrong = await both((c) => call(c.vision, c.vision.detectFaces, good, { meta: bearer('not-the-token') }));
    assert.deepEqual(wrong[1], wrong[0]);
    assert.equal(wrong[0]!.code, status.UNAUTHENTICATED);
  });

  it('a deadline too short and a cancelled call end the same way, and the server keeps serving', async () => {
    const late = await both((c) => call(c.vision, c.vision.detectFaces, good, { meta: bearer(), timeoutMs: 1 }));
    assert.equal(late[0]!.code, status.DEADLINE_EXCEEDED);
    assert.deepEqual(late[1], late[0]);
    const cancelled = await both((c) => new Promise((resolve, reject) => {
      const pending = c.vision.detectFaces(good, bearer(), { deadline: new Date(Date.now() + 30_000) }, (e, r) => (e ? reject(e) : resolve(r)));
      setImmediate(() => pending.cancel());
    }));
    assert.equal(cancelled[0]!.code, status.CANCELLED);
    assert.deepEqual(cancelled[1], cancelled[0]);
    for (const f of FORWARDERS) {
      const { c } = servers.get(f)!;
      assert.equal((await call(c.vision, c.vision.detectFaces, good, { meta: bearer() })).faces.length, 1);
    }
  });

  it('a SIGKILL of the ML child under 6 concurrent callers loses no call', async () => {
    const { server, c } = servers.get('pass-through')!;
    const [pid] = server.childPids();
    assert.ok(pid !== undefined, 'no ML child');
    const errors: string[] = [];
    let ok = 0;
    let killed = false;
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 15; i++) {
        if (i === 3 && !killed) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
        try {
          const res = await call(c.vision, c.vision.detectFaces, good, { meta: bearer(), timeoutMs: 30_000 });
          assert.equal(res.faces.length, 1);
          ok += 1;
        } catch (err) {
          const e = err as ServiceError;
          errors.push(`${e.code} ${String(e.metadata?.get(ERROR_CODE_KEY)[0] ?? '')} ${e.details}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, loop));
    assert.deepEqual(errors, []);
    assert.equal(ok, 90);
    assert.ok(killed);
    assert.notEqual(server.childPids()[0], pid, 'the child was replaced');
  });
});
