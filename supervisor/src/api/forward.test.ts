// leaseLink after a call failed like a lost child: a new link is taken as soon as there is one; a
// failed link that stays ready past the grace is the live child again (the error was the call's);
// no link before the deadline is UNAVAILABLE; the lost node is passed on to be avoided, and every
// lease that is not used is given back. Only a bare INTERNAL gets the grace: a dropped connection
// always waits for the next child.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { TabagentError } from '@tabagent/common';
import type { GrpcChildLink } from '../child/child-link.js';
import { leaseLink, sameLinkGraceMs, type ForwardDeps } from './forward.js';

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
