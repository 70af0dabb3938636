// Unit tests for detection→rect, alignment-points rect, rect transformation and rotation maths.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Detection } from '../types.js';
import { alignmentPointsToRect } from './alignment-points-to-rect.js';
import { detectionToRect } from './detection-to-rect.js';
import { iou, normalizeRadians } from './math.js';
import { transformRect } from './rect-transformation.js';

const near = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const detection: Detection = {
  box: { xmin: 0.2, ymin: 0.3, width: 0.4, height: 0.2 }, score: 1, classId: 0,
  keypoints: [{ x: 0.3, y: 0.4 }, { x: 0.5, y: 0.6 }],
};

test('normalizeRadians wraps into [-π, π)', () => {
  near(normalizeRadians((3 * Math.PI) / 2), -Math.PI / 2);
  near(normalizeRadians(Math.PI), -Math.PI);
  near(normalizeRadians(-0.5), -0.5);
  near(iou({ xmin: 0, ymin: 0, width: 2, height: 1 }, { xmin: 1, ymin: 0, width: 2, height: 1 }), 1 / 3);
});

test('detectionToRect: centre, size and keypoint rotation in pixel space', () => {
  const r = detectionToRect(detection, { width: 100, height: 200 }, { rotationVectorStartKeypointIndex: 0, rotationVectorEndKeypointIndex: 1 });
  near(r.xCenter, 0.4);
  near(r.yCenter, 0.4);
  near(r.width, 0.4);
  near(r.rotation, Math.atan2(40, 20)); // vector (20 px, 40 px) rotated to angle 0
  const level = detectionToRect(detection, { width: 100, height: 200 });
  assert.equal(level.rotation, 0);
  const palm = detectionToRect(detection, { width: 200, height: 100 }, { rotationVectorStartKeypointIndex: 0, rotationVectorEndKeypointIndex: 1, rotationVectorTargetAngle: Math.PI / 2 });
  near(palm.rotation, Math.PI / 2 - Math.atan2(-20, 40));
});

test('alignmentPointsToRect centres on the start keypoint with side 2 × distance', () => {
  const r = alignmentPointsToRect(detection, { width: 100, height: 100 }, { startKeypointIndex: 0, endKeypointIndex: 1, targetAngle: Math.PI / 2 });
  near(r.xCenter, 0.3);
  near(r.yCenter, 0.4);
  near(r.width, 2 * Math.hypot(0.2, 0.2));
  near(r.rotation, normalizeRadians(Math.PI / 2 + Math.PI / 4));
});

test('transformRect squares on the long side, scales and shifts along the rotation', () => {
  const image = { width: 100, height: 200 };
  const sq = transformRect({ xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.2, rotation: 0 }, image, { squareLong: true, scaleX: 1.5, scaleY: 1.5 });
  near(sq.width, 0.6); // long side 40 px → 0.4 of width, × 1.5
  near(sq.height, 0.3);
  const shortSide = transformRect({ xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.2, rotation: 0 }, image, { squareShort: true });
  near(shortSide.height, 0.1);
  const shifted = transformRect({ xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.1, rotation: 0 }, image, { shiftY: -0.1 });
  near(shifted.yCenter, 0.49);
  const rotated = transformRect({ xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.1, rotation: Math.PI / 2 }, image, { shiftY: 0.5 });
  near(rotated.xCenter, 0.5 - (200 * 0.1 * 0.5) / 100);
  near(rotated.yCenter, 0.5, 1e-12);
  const extra = transformRect({ xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.1, rotation: 3 }, image, { rotation: 1 });
  near(extra.rotation, 4 - 2 * Math.PI);
});
