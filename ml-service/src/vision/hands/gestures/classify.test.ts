// Unit tests of the gesture table and classifier on synthetic hands with known finger states.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGesture, ramp } from './classify.js';
import { bendAt, measureHand } from './hand-geometry.js';
import { syntheticHand, type SyntheticHandSpec } from './synthetic-hand.js';
import { GESTURE_TABLE, type GestureName } from './gesture-table.js';

const OPEN = 5;
const CURL = 80;

const CASES: readonly { name: GestureName; spec: SyntheticHandSpec }[] = [
  { name: 'Open_Palm', spec: { fingerBends: [OPEN, OPEN, OPEN, OPEN], thumbBend: 10, thumbAngleDeg: 50 } },
  { name: 'Closed_Fist', spec: { fingerBends: [CURL, CURL, CURL, CURL], thumbBend: 20, thumbAngleDeg: -70 } },
  // Thumb held straight out from the fist, hand rolled so the thumb points up / down on screen.
  { name: 'Thumb_Up', spec: { fingerBends: [CURL, CURL, CURL, CURL], thumbBend: 5, thumbAngleDeg: 90, rollDeg: 90 } },
  { name: 'Thumb_Down', spec: { fingerBends: [CURL, CURL, CURL, CURL], thumbBend: 5, thumbAngleDeg: 90, rollDeg: -90 } },
  { name: 'Pointing_Up', spec: { fingerBends: [OPEN, CURL, CURL, CURL], thumbBend: 40, thumbAngleDeg: -40 } },
  { name: 'Victory', spec: { fingerBends: [OPEN, OPEN, CURL, CURL], thumbBend: 40, thumbAngleDeg: -40 } },
  { name: 'ILoveYou', spec: { fingerBends: [OPEN, CURL, CURL, OPEN], thumbBend: 5, thumbAngleDeg: 90 } },
];

describe('gesture classifier', () => {
  for (const { name, spec } of CASES) {
    it(`recognises ${name}`, () => {
      const result = classifyGesture(syntheticHand(spec));
      assert.equal(result.name, name, JSON.stringify(result.scores));
      assert.ok(result.score >= 0.9 && result.score <= 1, `score ${result.score}`);
    });
  }

  it('is invariant to scale and translation of the landmarks', () => {
    const base = syntheticHand(CASES[4]!.spec);
    const moved = base.map((p) => ({ x: 0.3 + p.x * 0.05, y: 0.6 + p.y * 0.05, z: p.z * 0.05 }));
    const a = classifyGesture(base);
    const b = classifyGesture(moved);
    assert.equal(b.name, 'Pointing_Up');
    assert.ok(Math.abs(a.score - b.score) < 1e-9);
  });

  it('does not call an index finger pointing down Pointing_Up', () => {
    const result = classifyGesture(syntheticHand({ fingerBends: [OPEN, CURL, CURL, CURL], thumbBend: 40, thumbAngleDeg: -40, rollDeg: 180 }));
    assert.equal(result.name, 'None');
    assert.equal(result.scores.Pointing_Up, 0);
  });

  it('returns None with a low score for a half-curled ambiguous hand', () => {
    const result = classifyGesture(syntheticHand({ fingerBends: [30, 30, 30, 30], thumbBend: 30, thumbAngleDeg: 20 }));
    assert.equal(result.name, 'None');
    // Total bend 90° sits midway between extended (50°) and curled (130°): every rule scores 0.5 at best.
    assert.ok(result.score >= 0.5 && result.score < 0.75, `score ${result.score}`);
  });

  it('corrects normalized coordinates with xScale', () => {
    // Squash x as a 2:1 image's normalized coordinates would; undistorting restores the bends.
    const hand = syntheticHand(CASES[0]!.spec);
    const squashed = hand.map((p) => ({ x: p.x / 2, y: p.y, z: p.z / 2 }));
    const fixed = measureHand(squashed, { xScale: 2 });
    const original = measureHand(hand);
    assert.ok(Math.abs(fixed.fingers.index.bendDeg - original.fingers.index.bendDeg) < 1e-9);
    assert.equal(classifyGesture(squashed, { xScale: 2 }).name, 'Open_Palm');
  });

  it('honours threshold overrides', () => {
    const spec = { fingerBends: [30, 30, 30, 30], thumbBend: 10, thumbAngleDeg: 50 } as const;
    assert.equal(classifyGesture(syntheticHand(spec), { thresholds: { extendedBendDeg: 100, curledBendDeg: 160 } }).name, 'Open_Palm');
  });

  it('rejects hands with fewer than 21 landmarks', () => {
    assert.throws(() => classifyGesture(syntheticHand(CASES[0]!.spec).slice(0, 20)), RangeError);
  });

  it('has one row per canned gesture except None', () => {
    assert.deepEqual(
      GESTURE_TABLE.map((r) => r.name).sort(),
      ['Closed_Fist', 'ILoveYou', 'Open_Palm', 'Pointing_Up', 'Thumb_Down', 'Thumb_Up', 'Victory'],
    );
  });
});

describe('geometry helpers', () => {
  it('measures joint bends in degrees', () => {
    const o = { x: 0, y: 0, z: 0 };
    assert.equal(bendAt({ x: -1, y: 0, z: 0 }, o, { x: 1, y: 0, z: 0 }), 0);
    assert.ok(Math.abs(bendAt({ x: -1, y: 0, z: 0 }, o, { x: 0, y: 1, z: 0 }) - 90) < 1e-9);
    assert.ok(Math.abs(bendAt({ x: -1, y: 0, z: 0 }, o, { x: -1, y: 1e-9, z: 0 }) - 180) < 1e-6);
  });

  it('ramps linearly and clamps', () => {
    assert.equal(ramp(5, 0, 10), 0.5);
    assert.equal(ramp(-1, 0, 10), 0);
    assert.equal(ramp(130, 130, 50), 0);
    assert.equal(ramp(70, 130, 50), 0.75);
  });
});
