// Unit tests for the gaze formula and iris diameter on hand-built eye geometry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Landmark } from '../types.js';
import { eyeGeometry, gazeFromGeometry, irisDiameter, meanGaze } from './gaze.js';

const near = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);
const image = { width: 200, height: 100 };
// Eye 40 px wide (a = 20 px) centred at (100, 50) px; R = 0.7 × 20 = 14 px.
const eye = (irisPx: { x: number; y: number }) => ({
  leftCorner: { x: 80 / 200, y: 0.5 },
  rightCorner: { x: 120 / 200, y: 0.5 },
  upperLid: { x: 0.5, y: 45 / 100 },
  lowerLid: { x: 0.5, y: 55 / 100 },
  irisCentre: { x: irisPx.x / 200, y: irisPx.y / 100 },
  outward: 1 as const,
});
const plain = { radiusRatio: 0.7, neutralOutwardShift: 0 };

test('centred iris gives zero gaze; offsets of R/2 give ±30°', () => {
  const straight = gazeFromGeometry(eye({ x: 100, y: 50 }), image, plain);
  near(straight.yaw, 0);
  near(straight.pitch, 0);
  const right = gazeFromGeometry(eye({ x: 107, y: 50 }), image, plain);
  near(right.yaw, Math.PI / 6);
  const up = gazeFromGeometry(eye({ x: 100, y: 43 }), image, plain);
  near(up.pitch, Math.PI / 6);
  near(up.yaw, 0);
  const far = gazeFromGeometry(eye({ x: 60, y: 50 }), image, plain);
  near(far.yaw, -Math.PI / 2); // clamped
  // Default model: the neutral iris sits 0.1·a (2 px) towards the outer corner.
  near(gazeFromGeometry(eye({ x: 102, y: 50 }), image).yaw, 0);
  near(gazeFromGeometry({ ...eye({ x: 98, y: 50 }), outward: -1 }, image).yaw, 0);
});

test('a rolled head keeps gaze relative to the eye axis', () => {
  // Rotate the whole eye by 90° (corner line vertical, pointing down the image).
  const g = gazeFromGeometry({
    leftCorner: { x: 0.5, y: 0.3 },
    rightCorner: { x: 0.5, y: 0.7 },
    upperLid: { x: 110 / 200, y: 0.5 },
    lowerLid: { x: 90 / 200, y: 0.5 },
    irisCentre: { x: 0.5, y: 57 / 100 },
    outward: 1,
  }, image, plain);
  near(g.yaw, Math.PI / 6);
  near(g.pitch, 0);
  near(meanGaze({ yaw: 0.2, pitch: -0.1 }, { yaw: 0.4, pitch: 0.3 }).pitch, 0.1);
});

test('eyeGeometry orders corners by image side; irisDiameter averages both extents', () => {
  const contour: Landmark[] = Array.from({ length: 71 }, (_, i) => ({ x: i / 100, y: 0, z: 0 }));
  const iris: Landmark[] = [
    { x: 0.5, y: 0.5, z: 0 }, { x: 0.55, y: 0.5, z: 0 }, { x: 0.5, y: 0.45, z: 0 }, { x: 0.45, y: 0.5, z: 0 }, { x: 0.5, y: 0.55, z: 0 },
  ];
  const left = eyeGeometry(contour, iris, false);
  near(left.leftCorner.x, 0);
  near(left.rightCorner.x, 0.08);
  assert.equal(left.outward, -1);
  const right = eyeGeometry(contour, iris, true);
  near(right.leftCorner.x, 0.08);
  near(right.upperLid.x, 0.12);
  near(right.lowerLid.x, 0.04);
  // horizontal 20 px, vertical 10 px → mean 15 px → 0.075 of the width
  near(irisDiameter(iris, image), 0.075, 1e-9);
});
