// readyLink after a call failed like a lost child: a new link is taken as soon as there is one; a
// failed link that stays ready past the grace is the live child again (the error was the call's);
// no link before the deadline is UNAVAILABLE.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GrpcChildLink } from '../child/child-link.js';
import { readyLink, type ForwardDeps } from './forward.js';

const linkA = { name: 'a' } as unknown as GrpcChildLink;
const linkB = { name: 'b' } as unknown as GrpcChildLink;

function deps(whenReady: () => GrpcChildLink): ForwardDeps {
  return { whenReady: () => Promise.resolve(whenReady()), acquire: () => Promise.resolve(() => undefined), defaultTimeoutMs: 1000 };
}

describe('readyLink', () => {
  it('waits past the failed link for the next child', async () => {
    let calls = 0;
    const got = await readyLink(deps(() => (++calls < 4 ? linkA : linkB)), new Date(Date.now() + 5_000), linkA, 10_000);
    assert.equal(got, linkB);
    assert.equal(calls, 4);
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
});
