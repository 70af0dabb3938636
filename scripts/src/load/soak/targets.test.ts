import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faultSchedule } from './faults.js';
import { childLifetimes, spread, type RssSample } from './rss.js';
import { evaluateTargets, type TargetInput } from './targets.js';

const MB = 1 << 20;
/** RSS every 5 s for `n` samples: supervisor from `sup(t)`, child pid changing every 60 s. */
function samples(n: number, sup: (t: number) => number, child: (t: number) => number): RssSample[] {
  return Array.from({ length: n }, (_, i) => {
    const t = i * 5;
    return { t, supervisor: sup(t) * MB, childPid: 1000 + Math.floor(t / 60), child: child(t) * MB };
  });
}

const base = (rss: RssSample[]): TargetInput => ({
  lost: 0, unaryCalls: 100, rss, warmupS: 30, settleS: 15, tolerance: 0.1, hangLimitMs: 10_000,
  faults: [{ kind: 'kill', atS: 60, pid: 1000, recoveredMs: 900 }, { kind: 'stop', atS: 90, pid: 1001, recoveredMs: 8000, detectedMs: 6100 }],
});

describe('soak targets', () => {
  it('spread is the largest distance from the median, as a fraction', () => {
    assert.equal(spread([100, 100, 110, 90]), 0.1);
    assert.equal(spread([5]), 0);
  });

  it('child lifetimes are split by pid and skip each child\'s first seconds', () => {
    const lives = childLifetimes(samples(24, () => 100, (t) => 200 + (t % 60)), 15);
    assert.deepEqual(lives.map((l) => l.pid), [1000, 1001]);
    assert.deepEqual(lives[0]!.values.map((v) => v / MB), [215, 220, 225, 230, 235, 240, 245, 250, 255]);
  });

  it('flat RSS, nothing lost, faults recovered: every target met', () => {
    const r = evaluateTargets(base(samples(24, (t) => (t < 30 ? 60 : 100 + (t % 10)), (t) => 250 + (t % 15))));
    assert.deepEqual(r.map((t) => t.met), [true, true, true, true, true], JSON.stringify(r));
  });

  it('a supervisor growing 1% every 5 s after warm-up misses its target; warm-up growth and GC dips do not count', () => {
    const long = (sup: (t: number) => number): TargetInput => ({ ...base(samples(120, sup, () => 250)), warmupS: 120 });
    const r = evaluateTargets(long((t) => 100 * (1 + 0.01 * t / 5)));
    assert.equal(r[1]!.met, false);
    assert.match(r[1]!.measured, /over 8 minutes \(96 samples\)/);
    assert.equal(evaluateTargets(long((t) => (t < 120 ? 20 + t : 100)))[1]!.met, true);
    // A sawtooth of ±20% between samples (collections) with a steady median is flat.
    assert.equal(evaluateTargets(long((t) => (t % 10 === 0 ? 80 : 120)))[1]!.met, true);
    // A 2-minute run with 30 s of warm-up still has two stretches to compare; a shorter one is not measured.
    assert.equal(evaluateTargets(base(samples(24, () => 100, () => 250)))[1]!.met, true);
    assert.match(evaluateTargets(base(samples(12, () => 100, () => 250)))[1]!.measured, /not measured/);
  });

  it('a child leaking within its life misses; the drop at each restart does not count', () => {
    const leaking = evaluateTargets(base(samples(24, () => 100, (t) => 250 + 3 * (t % 60))));
    assert.equal(leaking[2]!.met, false);
    assert.match(leaking[2]!.measured, /rising at most \+\d/);
    const restarting = evaluateTargets(base(samples(24, () => 100, (t) => (t % 60 < 10 ? 120 : 250))));
    assert.equal(restarting[2]!.met, true);
  });

  it('a lost request, an unrecovered kill or a hung child left alive each miss their target', () => {
    assert.equal(evaluateTargets({ ...base(samples(24, () => 100, () => 250)), lost: 1 })[0]!.met, false);
    const faults = [{ kind: 'kill' as const, atS: 60, pid: 1, recoveredMs: Number.NaN }, { kind: 'stop' as const, atS: 90, pid: 2, recoveredMs: 7000, detectedMs: Number.NaN }];
    const r = evaluateTargets({ ...base(samples(24, () => 100, () => 250)), faults });
    assert.equal(r[3]!.met, false);
    assert.equal(r[4]!.met, false);
    assert.match(r[4]!.measured, /STILL ALIVE/);
    // Killed, but later than the hang timeout allows.
    const late = evaluateTargets({ ...base(samples(24, () => 100, () => 250)), faults: [{ kind: 'stop', atS: 90, pid: 2, recoveredMs: 15_000, detectedMs: 12_000 }] });
    assert.equal(late[4]!.met, false);
  });

  it('fault schedule: a kill every interval before the end and one stop between the first two kills', () => {
    assert.deepEqual(faultSchedule(600, 60).map((f) => `${f.kind}@${f.atS}`), [
      'kill@60', 'stop@90', 'kill@120', 'kill@180', 'kill@240', 'kill@300', 'kill@360', 'kill@420', 'kill@480', 'kill@540',
    ]);
    assert.deepEqual(faultSchedule(120, 60).map((f) => `${f.kind}@${f.atS}`), ['kill@60', 'stop@90']);
    assert.deepEqual(faultSchedule(60, 60).map((f) => `${f.kind}@${f.atS}`), ['stop@30']);
  });
});
