// leaseLink after a call failed like a lost child: a new link is taken as soon as there is one; a
// failed link that stays ready past the grace is the live child again (the error was the call's);
// no link before the deadline is UNAVAILABLE; the lost node is passed on to be avoided, and every
// lease that is not used is given back. Only a bare INTERNAL gets the grace: a dropped connection
// always waits for the next child.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { TabagentError } from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { forwardUnary, leaseLink, sameLinkGraceMs, type ForwardDeps } from './forward.js';

const linkA = { name: 'a' } as unknown as GrpcChildLink;
const linkB = { name: 'b' } as unknown as GrpcChildLink;

/** Deps whose only node "n1" has the link `current()`; counts leases taken and given back. */
function deps(current: () => GrpcChildLink, seen: { avoided: Array<string | undefined>; open: number } = { avoided: [], open: 0 }): ForwardDeps {
  return {
    whenReady: () => Promise.resolve(),
    lease: (_roles, _kind, avoid) => {
      seen.avoided.push(avoid);
      seen.open += 1;
      let done = false;
      return Promise.resolve({ node: 'n1', release: () => { if (!done) seen.open -= 1; done = true; } });
    },
    link: () => current(),
    defaultTimeoutMs: 1000,
  };
}

async function readyLink(d: ForwardDeps, deadline: Date, failed: GrpcChildLink, grace = Infinity): Promise<GrpcChildLink> {
  const { lease, link } = await leaseLink(d, {}, deadline, { node: 'n1', link: failed, err: new Error('lost') }, grace);
  lease.release();
  return link;
}

describe('readyLink', () => {
  it('waits past the failed link for the next child', async () => {
    let calls = 0;
    const seen = { avoided: [] as Array<string | undefined>, open: 0 };
    const got = await readyLink(deps(() => (++calls < 4 ? linkA : linkB), seen), new Date(Date.now() + 5_000), linkA, 10_000);
    assert.equal(got, linkB);
    assert.equal(calls, 4);
    assert.deepEqual(seen.avoided, ['n1', 'n1', 'n1', 'n1'], 'every lease avoids the node that lost the call');
    assert.equal(seen.open, 0, 'the leases of the stale link were given back');
  });

  it('returns the failed link once it stayed ready for the grace period', async () => {
    const t0 = Date.now();
    const got = await readyLink(deps(() => linkA), new Date(Date.now() + 5_000), linkA, 100);
    assert.equal(got, linkA);
    const waited = Date.now() - t0;
    assert.ok(waited >= 100 && waited < 2_000, `waited ${waited} ms`);
  });

  it('is UNAVAILABLE when only the failed link is ready until the deadline', async () => {
    await assert.rejects(readyLink(deps(() => linkA), new Date(Date.now() + 100), linkA), { code: 'TA_ERR_CHILD_UNAVAILABLE' });
  });

  it('gives the grace to a bare INTERNAL only; a dropped connection waits for the next child', () => {
    const grpcError = (code: status, details: string): ServiceError => Object.assign(new Error(details), { code, details, metadata: undefined }) as unknown as ServiceError;
    assert.equal(sameLinkGraceMs(grpcError(status.INTERNAL, 'Received RST_STREAM with code 2')), 1_500);
    assert.equal(sameLinkGraceMs(grpcError(status.UNAVAILABLE, 'Connection dropped')), Infinity);
    assert.equal(sameLinkGraceMs(grpcError(status.CANCELLED, 'Call cancelled')), Infinity);
    const wrapped = new TabagentError('TA_ERR_CHILD_UNAVAILABLE', 'load failed', { cause: grpcError(status.INTERNAL, 'boom') });
    assert.equal(sameLinkGraceMs(wrapped), 1_500);
    assert.equal(sameLinkGraceMs(new Error('plain')), Infinity);
  });
});

describe('forwardUnary over leases', () => {
  /** A lost-child transport error (no error code in its metadata). */
  const dropped = (): ServiceError => Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), {
    code: status.UNAVAILABLE, details: 'Connection dropped', metadata: new Metadata(),
  }) as unknown as ServiceError;
  /** A link whose unary calls answer with `answer()` (an error or the request echoed). */
  const fakeLink = (name: string, answer: () => ServiceError | null, calls: string[]): GrpcChildLink => ({
    metadata: () => new Metadata(),
    vision: {
      makeUnaryRequest: (_p: string, _s: unknown, _d: unknown, req: Buffer, _m: unknown, _o: unknown, cb: (e: ServiceError | null, r?: Buffer) => void) => {
        calls.push(name);
        const e = answer();
        setImmediate(() => cb(e, e ? undefined : req));
        return { cancel: () => undefined };
      },
    },
  }) as unknown as GrpcChildLink;
  const run = (d: ForwardDeps): Promise<{ err: ServiceError | null; res?: Buffer }> => new Promise((resolve) => {
    const call = { request: Buffer.from('frame'), cancelled: false, getDeadline: () => Date.now() + 5_000, once: () => undefined, off: () => undefined };
    forwardUnary(d, '/tabagent.v1.Vision/DetectFaces', () => ({}))(call as never, (err, res) => resolve({ err: err as ServiceError | null, res: res ?? undefined }));
  });

  it('sends a call lost on one node to another, avoiding the lost node, and gives every lease back', async () => {
    const calls: string[] = [];
    const links: Record<string, GrpcChildLink> = { n1: fakeLink('n1', dropped, calls), n2: fakeLink('n2', () => null, calls) };
    let open = 0;
    const d: ForwardDeps = {
      whenReady: () => Promise.resolve(), defaultTimeoutMs: 1000, link: (n) => links[n],
      lease: (_r, _k, avoid) => {
        open += 1;
        let held = true; // release() is idempotent (NodeLease)
        return Promise.resolve({ node: avoid === 'n1' ? 'n2' : 'n1', release: () => { if (held) open -= 1; held = false; } });
      },
    };
    const { err, res } = await run(d);
    assert.equal(err, null);
    assert.equal(res?.toString(), 'frame');
    assert.deepEqual(calls, ['n1', 'n2']);
    assert.equal(open, 0);
  });

  it('retries a call whose lease met a child going away while loading its models', async () => {
    const calls: string[] = [];
    let leases = 0;
    const d: ForwardDeps = {
      whenReady: () => Promise.resolve(), defaultTimeoutMs: 1000, link: () => fakeLink('n1', () => null, calls),
      lease: () => (++leases === 1 ? Promise.reject(dropped()) : Promise.resolve({ node: 'n1', release: () => undefined })),
    };
    const { err } = await run(d);
    assert.equal(err, null);
    assert.equal(leases, 2);
    assert.deepEqual(calls, ['n1']);
  });
});
