// Unit tests of the lifecycle state machine and backoff against a fake child, link and clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { ChildSupervisor, type LifecyclePolicy } from './child-supervisor.js';
import { CrashLoopDetector } from './crash-loop.js';
import { FakeChild, FakeClock, FakeLink, flush } from './fakes.test-support.js';

const policy: LifecyclePolicy = {
  backoff: { ...DEFAULT_BACKOFF, jitter: 0 },
  maxRestarts: 3, restartWindowMs: 60_000, retryAfterFailedMs: 120_000,
  hangTimeoutMs: 3000, healthIntervalMs: 1000, startTimeoutMs: 5000,
};

function setup(p: LifecyclePolicy = policy, extra: { remote?: boolean; secret?: (g: number) => string } = {}) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const links: FakeLink[] = [];
  const readyCalls: number[] = [];
  const sup = new ChildSupervisor<FakeLink>({
    factory: (o) => { const c = new FakeChild(o); c.remote = extra.remote ?? false; children.push(c); return c; },
    connect: (a) => { const l = new FakeLink(a); links.push(l); return l; },
    listenAddress: (g) => `unix:/sock-${g}`,
    filesEndpoint: 'unix:/files',
    onReady: async (_l, g) => { readyCalls.push(g); },
    policy: p, log: pino({ level: 'silent' }), clock, random: () => 0.5, secret: extra.secret,
  });
  /** Brings the newest child up: listening, then SERVING. */
  const up = async (): Promise<void> => {
    children.at(-1)!.listen();
    await flush();
    links.at(-1)!.serving!(true);
    await flush();
  };
  return { clock, children, links, readyCalls, sup, up };
}

describe('backoff', () => {
  it('doubles from 250 ms and caps at 30 s', () => {
    const p = { ...DEFAULT_BACKOFF, jitter: 0 };
    assert.deepEqual([0, 1, 2, 3, 4].map((a) => backoffDelay(a, p)), [250, 500, 1000, 2000, 4000]);
    assert.equal(backoffDelay(20, p), 30_000);
  });
  it('keeps jitter within ±20%', () => {
    assert.equal(backoffDelay(2, DEFAULT_BACKOFF, () => 0), 800);
    assert.equal(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999999), 1200);
  });
});

describe('crash-loop detector', () => {
  it('trips at N failures inside the window and forgets old ones', () => {
    const d = new CrashLoopDetector(3, 10_000);
    assert.equal(d.record(0), false);
    assert.equal(d.record(5_000), false);
    assert.equal(d.record(12_000), false); // the first fell out of the window
    assert.equal(d.record(13_000), true);
  });
});

describe('ChildSupervisor', () => {
  it('is ready only after the child listens, reports SERVING and models are reloaded', async () => {
    const { sup, up, readyCalls, children } = setup();
    sup.start();
    assert.equal(sup.state, 'starting');
    assert.equal(children[0]!.opts.listen, 'unix:/sock-1');
    assert.equal(children[0]!.opts.secret.length > 20, true);
    const waiting = sup.whenReady(10_000);
    await up();
    assert.equal(sup.state, 'ready');
    assert.deepEqual(readyCalls, [1]);
    assert.equal((await waiting).address, 'fake:1');
  });

  it('restarts a crashed child after the backoff delay, with a new secret, and reloads models', async () => {
    const { sup, up, readyCalls, children, clock } = setup();
    sup.start();
    await up();
    children[0]!.crash(1, null, ['boom']);
    await flush();
    assert.equal(sup.state, 'backoff');
    assert.deepEqual(clock.pendingDelays(), [250]);
    assert.match(sup.lastError, /exited with code 1.*boom/);
    await clock.advance(249);
    assert.equal(children.length, 1);
    await clock.advance(1);
    assert.equal(children.length, 2);
    assert.notEqual(children[1]!.opts.secret, children[0]!.opts.secret);
    await up();
    assert.equal(sup.state, 'ready');
    assert.deepEqual(readyCalls, [1, 2]);
  });

  it('grows the delay on repeated failures and resets it after a stable period', async () => {
    const { sup, up, children, clock } = setup({ ...policy, maxRestarts: 10 });
    sup.start();
    children[0]!.crash();
    await flush();
    assert.deepEqual(clock.pendingDelays(), [250]);
    await clock.advance(250);
    children[1]!.crash();
    await flush();
    assert.deepEqual(clock.pendingDelays(), [500]);
    await clock.advance(500);
    await up();
    await clock.advance(DEFAULT_BACKOFF.resetAfterMs);
    children[2]!.crash();
    await flush();
    assert.deepEqual(clock.pendingDelays(), [250]);
  });

  it('goes FAILED after maxRestarts failures in the window, without a busy loop, and retries later', async () => {
    const { sup, children, clock } = setup();
    sup.start();
    for (let i = 0; i < 3; i++) {
      children.at(-1)!.crash(7, null, [`fatal ${i}`]);
      await flush();
      if (i < 2) await clock.advance(clock.pendingDelays()[0]!);
    }
    assert.equal(sup.state, 'failed');
    assert.equal(children.length, 3);
    await assert.rejects(sup.whenReady(1000), (e: Error & { code?: string }) => e.code === 'TA_ERR_CHILD_FAILED' && /fatal 2/.test(e.message));
    await clock.advance(119_000);
    assert.equal(children.length, 3, 'no spawn while FAILED');
    await clock.advance(1000);
    assert.equal(children.length, 4, 'retried after retryAfterFailedMs');
    assert.equal(sup.state, 'starting');
  });

  it('kills a child that stops answering health checks for hangTimeoutMs', async () => {
    const { sup, up, children, links, clock } = setup();
    sup.start();
    await up();
    links[0]!.healthy = false;
    await clock.advance(2000);
    assert.deepEqual(children[0]!.signals, []);
    await clock.advance(1000);
    assert.deepEqual(children[0]!.signals, ['SIGKILL']);
    assert.equal(sup.state, 'backoff');
    assert.match(sup.lastError, /stopped answering/);
  });

  it('rejects waiters after their timeout while restarting', async () => {
    const { sup, clock } = setup();
    sup.start();
    const w = assert.rejects(sup.whenReady(500), (e: Error & { code?: string }) => e.code === 'TA_ERR_CHILD_UNAVAILABLE');
    await clock.advance(499);
    await clock.advance(1);
    await w;
  });

  it('stop() stops the child and never restarts it', async () => {
    const { sup, up, children, clock } = setup();
    sup.start();
    await up();
    await sup.stop(1000);
    assert.equal(children[0]!.stopped, true);
    assert.equal(sup.state, 'stopped');
    await clock.advance(60_000);
    assert.equal(children.length, 1);
  });

  it('sets lastError (exit code and stderr tail) before emitting "exit", and drops a hang note after use', async () => {
    const { sup, up, children, links, clock } = setup({ ...policy, maxRestarts: 10 });
    const seen: string[] = [];
    sup.on('exit', () => seen.push(sup.lastError));
    sup.start();
    await up();
    links[0]!.healthy = false;
    await clock.advance(3000);
    assert.match(seen[0] ?? '', /^ML child \(pid \d+\) stopped answering health checks for \d+ ms; ML child was killed by SIGKILL$/);
    await clock.advance(clock.pendingDelays()[0]!);
    await up();
    children[1]!.crash(139, null, ['segfault in kernel']);
    await flush();
    assert.equal(seen[1], 'ML child exited with code 139; last stderr: segfault in kernel');
  });

  it('attach mode: uses the shared secret, and reconnects and reloads when the service stops serving', async () => {
    const { sup, up, children, links, readyCalls, clock } = setup({ ...policy, maxRestarts: 10 }, { remote: true, secret: () => 'shared-secret' });
    sup.start();
    await up();
    assert.equal(children[0]!.opts.secret, 'shared-secret');
    links[0]!.serving!(false); // the watch broke: the service may have restarted without its models
    await flush();
    assert.deepEqual(children[0]!.signals, ['SIGTERM']);
    assert.equal(sup.state, 'backoff');
    assert.match(sup.lastError, /^ML service connection lost: connection lost$/);
    await clock.advance(clock.pendingDelays()[0]!);
    assert.equal(children.length, 2);
    assert.equal(children[1]!.opts.secret, 'shared-secret');
    await up();
    assert.equal(sup.state, 'ready');
    assert.deepEqual(readyCalls, [1, 2], 'models reloaded on the reconnected service');
  });

  it('two concurrent stop() calls stop the child once; the second awaits the first', async () => {
    const { sup, up, children, links } = setup();
    sup.start();
    await up();
    const states: string[] = [];
    sup.on('state', (s: string) => states.push(s));
    const first = sup.stop(1000);
    const second = sup.stop(1000);
    let secondDone = false;
    void second.then(() => { secondDone = true; });
    assert.equal(secondDone, false);
    await Promise.all([first, second]);
    assert.equal(children[0]!.stopCalls, 1);
    assert.equal(links[0]!.closed, true);
    assert.deepEqual(states, ['stopping', 'stopped']);
    await sup.stop(1000);
    assert.equal(children[0]!.stopCalls, 1, 'a stop after stopped is a no-op');
  });

  it('a spawned child that reports NOT_SERVING is left to the liveness check, not killed', async () => {
    const { sup, up, children, links } = setup();
    sup.start();
    await up();
    links[0]!.serving!(false);
    await flush();
    assert.deepEqual(children[0]!.signals, []);
    assert.equal(sup.state, 'ready');
  });
});
