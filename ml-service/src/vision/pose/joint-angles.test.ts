// Unit tests of pose joint angles on constructed skeletons with known angles.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { angleAt, computeJointAngles, JOINT_NAMES, POSE_INDEX, type PosePoint } from './joint-angles.js';

type Mutable = { x: number; y: number; z: number; visibility?: number };

/** A standing T-pose in metres (y down, subject facing the camera, subject's left on image right). */
function tPose(): Mutable[] {
  const pts: Mutable[] = Array.from({ length: 33 }, () => ({ x: 0, y: -0.6, z: 0 }));
  const set = (i: number, x: number, y: number, z = 0): void => {
    pts[i] = { x, y, z };
  };
  set(POSE_INDEX.leftShoulder, 0.2, -0.5);
  set(POSE_INDEX.rightShoulder, -0.2, -0.5);
  set(POSE_INDEX.leftElbow, 0.5, -0.5);
  set(POSE_INDEX.rightElbow, -0.5, -0.5);
  set(POSE_INDEX.leftWrist, 0.75, -0.5);
  set(POSE_INDEX.rightWrist, -0.75, -0.5);
  set(POSE_INDEX.leftHip, 0.1, 0);
  set(POSE_INDEX.rightHip, -0.1, 0);
  set(POSE_INDEX.leftKnee, 0.1, 0.45);
  set(POSE_INDEX.rightKnee, -0.1, 0.45);
  set(POSE_INDEX.leftAnkle, 0.1, 0.9);
  set(POSE_INDEX.rightAnkle, -0.1, 0.9);
  set(POSE_INDEX.leftHeel, 0.1, 0.95, 0.05);
  set(POSE_INDEX.rightHeel, -0.1, 0.95, 0.05);
  set(POSE_INDEX.leftFootIndex, 0.1, 0.9, -0.2);
  set(POSE_INDEX.rightFootIndex, -0.1, 0.9, -0.2);
  return pts;
}

const close = (actual: number, expected: number, tol = 1e-6): void => {
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}°, got ${actual}°`);
};

describe('joint angles', () => {
  it('measures a T-pose: straight limbs 180°, arms 90° from the torso line, feet 90°', () => {
    const a = computeJointAngles(tPose());
    close(a.leftElbow.degrees, 180);
    close(a.rightElbow.degrees, 180);
    close(a.leftKnee.degrees, 180);
    close(a.rightKnee.degrees, 180);
    close(a.leftAnkle.degrees, 90);
    close(a.rightAnkle.degrees, 90);
    // Shoulder 0.2 m out, hip 0.1 m out, 0.5 m lower: the torso side leans in by atan(0.1/0.5).
    const lean = (Math.atan2(0.1, 0.5) * 180) / Math.PI;
    close(a.leftShoulder.degrees, 90 + lean);
    close(a.rightShoulder.degrees, 90 + lean);
    close(a.leftHip.degrees, 180 - lean);
    assert.equal(a.leftElbow.visibility, 1);
  });

  it('measures a right-angle elbow and a 90° squat knee, including depth (z)', () => {
    const pts = tPose();
    pts[POSE_INDEX.leftWrist] = { x: 0.5, y: -0.5, z: -0.25 }; // forearm forward toward the camera
    pts[POSE_INDEX.rightKnee] = { x: -0.1, y: 0, z: -0.45 }; // thigh horizontal, pointing forward
    pts[POSE_INDEX.rightAnkle] = { x: -0.1, y: 0.45, z: -0.45 };
    const a = computeJointAngles(pts);
    close(a.leftElbow.degrees, 90);
    close(a.rightKnee.degrees, 90);
    close(a.rightElbow.degrees, 180);
  });

  it('measures a 120° elbow and reports the weakest visibility', () => {
    const pts = tPose();
    const c = Math.cos((60 * Math.PI) / 180);
    const s = Math.sin((60 * Math.PI) / 180);
    pts[POSE_INDEX.leftWrist] = { x: 0.5 + 0.25 * c, y: -0.5 - 0.25 * s, z: 0, visibility: 0.3 };
    pts[POSE_INDEX.leftElbow] = { ...pts[POSE_INDEX.leftElbow]!, visibility: 0.9 };
    const a = computeJointAngles(pts);
    close(a.leftElbow.degrees, 120, 1e-9);
    assert.equal(a.leftElbow.visibility, 0.3);
  });

  it('is scale and translation invariant', () => {
    const pts = tPose();
    const moved = pts.map((p) => ({ x: 3 + 2 * p.x, y: -1 + 2 * p.y, z: 5 + 2 * p.z }));
    const a = computeJointAngles(pts);
    const b = computeJointAngles(moved);
    for (const name of JOINT_NAMES) close(b[name].degrees, a[name].degrees, 1e-9);
  });

  it('returns NaN for coincident points and rejects short input', () => {
    const p: PosePoint = { x: 1, y: 1, z: 1 };
    assert.ok(Number.isNaN(angleAt(p, p, { x: 0, y: 0, z: 0 })));
    assert.throws(() => computeJointAngles(tPose().slice(0, 32)), RangeError);
  });

  it('lists ten joints, both sides', () => {
    assert.equal(JOINT_NAMES.length, 10);
    assert.ok(JOINT_NAMES.every((n) => n.startsWith('left') || n.startsWith('right')));
  });
});
