// Unit tests for tensor→landmark decoding, ROI projection, letterbox removal and landmarks→detection.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectLandmarks } from './landmark-projection.js';
import { landmarksToDetection } from './landmarks-to-detection.js';
import { removeLetterboxFromDetections, removeLetterboxFromLandmarks } from './letterbox-removal.js';
import { tensorsToLandmarks } from './tensors-to-landmarks.js';

const near = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('tensorsToLandmarks normalizes by input size, flips and activates visibility/presence', () => {
  const raw = new Float32Array([96, 48, 19.2, 0, 2, 48, 192, -9.6, 100, -100]);
  const [a, b] = tensorsToLandmarks(raw, { numLandmarks: 2, inputImageWidth: 192, inputImageHeight: 192, visibilityActivation: 'sigmoid', presenceActivation: 'sigmoid' });
  assert.ok(a && b);
  near(a.x, 0.5);
  near(a.y, 0.25);
  near(a.z, 0.1);
  near(a.visibility!, 0.5);
  near(a.presence!, 1 / (1 + Math.exp(-2)));
  near(b.y, 1);
  near(b.z, -0.05);
  const [f] = tensorsToLandmarks(new Float32Array([48, 48]), { numLandmarks: 1, inputImageWidth: 192, inputImageHeight: 96, flipHorizontally: true, normalizeZ: 2 });
  near(f!.x, 0.75);
  near(f!.y, 0.5);
  assert.throws(() => tensorsToLandmarks(new Float32Array(5), { numLandmarks: 3, inputImageWidth: 1, inputImageHeight: 1 }), RangeError);
});

test('projectLandmarks rotates about the rect centre and scales z by the rect width', () => {
  const rect = { xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.4, rotation: Math.PI / 2 };
  const [p] = projectLandmarks([{ x: 1, y: 0.5, z: 0.1, visibility: 0.7 }], rect);
  near(p!.x, 0.5);
  near(p!.y, 0.7);
  near(p!.z, 0.02);
  assert.equal(p!.visibility, 0.7);
  const [q] = projectLandmarks([{ x: 0, y: 0, z: 0 }], { ...rect, rotation: 0 });
  near(q!.x, 0.4);
  near(q!.y, 0.3);
});

test('letterbox removal maps padded tensor coordinates back to the image', () => {
  const padding = { left: 0.25, right: 0.25, top: 0, bottom: 0 };
  const [d] = removeLetterboxFromDetections([{ box: { xmin: 0.25, ymin: 0.1, width: 0.1, height: 0.2 }, score: 1, classId: 0, keypoints: [{ x: 0.5, y: 0.5 }] }], padding);
  near(d!.box.xmin, 0);
  near(d!.box.width, 0.2);
  near(d!.box.height, 0.2);
  near(d!.keypoints[0]!.x, 0.5);
  const [l] = removeLetterboxFromLandmarks([{ x: 0.7, y: 0.3, z: 0.1 }], padding);
  near(l!.x, 0.9);
  near(l!.z, 0.2);
});

test('landmarksToDetection bounds all (or selected) points', () => {
  const pts = [{ x: 0.1, y: 0.5 }, { x: 0.4, y: 0.2 }, { x: 0.3, y: 0.9 }];
  const d = landmarksToDetection(pts);
  near(d.box.xmin, 0.1);
  near(d.box.ymin, 0.2);
  near(d.box.width, 0.3);
  near(d.box.height, 0.7);
  assert.equal(d.keypoints.length, 3);
  const s = landmarksToDetection(pts, [1, 2]);
  near(s.box.xmin, 0.3);
  assert.throws(() => landmarksToDetection(pts, [5]), RangeError);
});
