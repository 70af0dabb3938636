// Pose-derived face and hand ROIs and the tracked-ROI check, on synthetic landmarks with known geometry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { poseDetectionToRect } from '../../vision/pose/pose-detector.js';
import { poseRoiFromLandmarks } from '../../vision/pose/pose-roi.js';
import type { ImageSize, Landmark } from '../../vision/types.js';
import { FACE_CENTER_RAISE, FACE_SIZE_PER, faceRoiFromPose, handRoiFromPose, POSE_FACE_POINTS, POSE_HAND_POINTS } from './holistic-roi.js';
import { canKeepTrackedRoi, HAND_TRACKING_REQUIREMENTS, insideRect } from './roi-tracking.js';

const IMAGE: ImageSize = { width: 400, height: 200 };
const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** 33 pose landmarks with the given pixel positions set, the rest at the image centre. */
function pose(points: Record<number, [number, number]>): Landmark[] {
  return Array.from({ length: 33 }, (_, i) => {
    const [x, y] = points[i] ?? [200, 100];
    return { x: x / IMAGE.width, y: y / IMAGE.height, z: 0, visibility: 0.9 };
  });
}

test('hand ROI from pose: on the estimated middle finger, side 2.7 × twice its wrist distance, shifted toward the fingers', () => {
  const p = POSE_HAND_POINTS.left;
  // Wrist below; index and pinky 30 px above it (middle finger estimate at x = (2·110 + 80) / 3 = 100).
  const roi = handRoiFromPose(pose({ [p.wrist]: [100, 150], [p.index]: [110, 120], [p.pinky]: [80, 120] }), 'left', IMAGE);
  const side = 2 * 30 * 2.7;
  close(roi.rotation, 0);
  close(roi.xCenter * IMAGE.width, 100);
  // The shift is a tenth of the box before scaling (as in RectTransformationCalculator).
  close(roi.yCenter * IMAGE.height, 120 - 0.1 * 60);
  close(roi.width * IMAGE.width, side);
  close(roi.height * IMAGE.height, side);
  // Fingers pointing right (hand lying horizontally): rotated a quarter turn clockwise.
  const q = POSE_HAND_POINTS.right;
  const turned = handRoiFromPose(pose({ [q.wrist]: [100, 100], [q.index]: [130, 105], [q.pinky]: [130, 90] }), 'right', IMAGE);
  close(turned.rotation, Math.PI / 2);
  close(turned.xCenter * IMAGE.width, 136);
  close(turned.yCenter * IMAGE.height, 100);
});

test('face ROI from pose: eyes level, sized by the largest face distance, raised above the eyes/mouth midpoint', () => {
  const f = POSE_FACE_POINTS;
  const points: Record<number, [number, number]> = {
    [f.rightEye]: [180, 80],
    [f.leftEye]: [220, 80],
    [f.rightEar]: [160, 85],
    [f.leftEar]: [240, 85],
    [f.mouthRight]: [190, 120],
    [f.mouthLeft]: [210, 120],
  };
  const roi = faceRoiFromPose(pose(points), IMAGE);
  const side = Math.max(FACE_SIZE_PER.ears * 80, FACE_SIZE_PER.eyes * 40, FACE_SIZE_PER.eyesToMouth * 40);
  close(roi.rotation, 0);
  close(roi.width * IMAGE.width, side);
  close(roi.height * IMAGE.height, side);
  close(roi.xCenter * IMAGE.width, 200);
  close(roi.yCenter * IMAGE.height, 100 - FACE_CENTER_RAISE * 40);
  // Head tilted: rotate every point 30° clockwise about (200, 100); the ROI follows.
  const a = Math.PI / 6;
  const rotated = Object.fromEntries(
    Object.entries(points).map(([k, [x, y]]) => [k, [200 + Math.cos(a) * (x - 200) - Math.sin(a) * (y - 100), 100 + Math.sin(a) * (x - 200) + Math.cos(a) * (y - 100)]]),
  ) as Record<number, [number, number]>;
  const tilted = faceRoiFromPose(pose(rotated), IMAGE);
  close(tilted.rotation, a, 1e-9);
  close(tilted.width * IMAGE.width, side, 1e-9);
  close(tilted.xCenter * IMAGE.width, 200 + Math.sin(a) * FACE_CENTER_RAISE * 40, 1e-9);
});

test('pose ROI from auxiliary landmarks matches the detector rule for the same two points', () => {
  const hip = { x: 0.5, y: 0.6, z: 0 };
  const top = { x: 0.55, y: 0.2, z: 0 };
  const fromLandmarks = poseRoiFromLandmarks([hip, top], IMAGE);
  const fromDetection = poseDetectionToRect({ box: { xmin: 0, ymin: 0, width: 1, height: 1 }, score: 1, classId: 0, keypoints: [hip, top] }, IMAGE);
  assert.deepEqual(fromLandmarks, fromDetection);
  close(fromLandmarks.xCenter, 0.5);
  close(fromLandmarks.width * IMAGE.width, 1.25 * 2 * Math.hypot(0.05 * 400, 0.4 * 200));
});

test('tracked ROI kept only when rotations agree and the anchors stay inside its inner part', () => {
  const rect = { xCenter: 0.5, yCenter: 0.5, width: 0.25, height: 0.5, rotation: Math.PI / 4 };
  // 100 × 100 px square turned 45° about (200, 100): its corner direction reaches 70.7 px.
  assert.ok(insideRect({ x: 0.5 + 60 / 400, y: 0.5 }, rect, IMAGE));
  assert.ok(!insideRect({ x: 0.5 + 60 / 400, y: 0.5 }, rect, IMAGE, 0.2));
  assert.ok(!insideRect({ x: 0.5, y: 0.5 + 75 / 200 }, rect, IMAGE));
  const anchors = [{ x: 0.5, y: 0.5 }];
  assert.ok(canKeepTrackedRoi(rect, { ...rect, rotation: Math.PI / 4 + 0.5 }, anchors, IMAGE, HAND_TRACKING_REQUIREMENTS));
  assert.ok(!canKeepTrackedRoi(rect, { ...rect, rotation: Math.PI / 4 + 0.8 }, anchors, IMAGE, HAND_TRACKING_REQUIREMENTS));
  assert.ok(!canKeepTrackedRoi(rect, rect, [{ x: 0.9, y: 0.5 }], IMAGE, HAND_TRACKING_REQUIREMENTS));
});
