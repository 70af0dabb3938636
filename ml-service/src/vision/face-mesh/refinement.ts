// Merges the attention mesh model's lips/eyes/irises into the 468-point mesh (478 points), following
// MediaPipe's LandmarksRefinementCalculator with the tensors_to_face_landmarks_with_attention config.

import type { Landmark } from '../types.js';

export const LIPS_INDICES: readonly number[] = [
  61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 185, 40, 39, 37, 0, 267, 269, 270, 409,
  78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 191, 80, 81, 82, 13, 312, 311, 310, 415,
  76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306, 184, 74, 73, 72, 11, 302, 303, 304, 408,
  62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292, 183, 42, 41, 38, 12, 268, 271, 272, 407,
];

/** 71 eye-region points of the image-left eye (also the iris model's contour order). */
export const LEFT_EYE_INDICES: readonly number[] = [
  33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
  130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
  226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
  35, 124, 46, 53, 52, 65, 143, 111, 117, 118, 119, 120, 121, 128, 245,
  156, 70, 63, 105, 66, 107, 55, 193,
];

/** 71 eye-region points of the image-right eye, mirroring LEFT_EYE_INDICES. */
export const RIGHT_EYE_INDICES: readonly number[] = [
  263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398,
  359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
  446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413,
  265, 353, 276, 283, 282, 295, 372, 340, 346, 347, 348, 349, 350, 357, 465,
  383, 300, 293, 334, 296, 336, 285, 417,
];

export const LEFT_IRIS_INDICES: readonly number[] = [468, 469, 470, 471, 472];
export const RIGHT_IRIS_INDICES: readonly number[] = [473, 474, 475, 476, 477];

/** The first 16 eye points (lower then upper contour) whose mean z becomes the iris z. */
export const EYE_CONTOUR_COUNT = 16;

export interface RefinementParts {
  mesh: readonly Landmark[];
  lips: readonly Landmark[];
  leftEye: readonly Landmark[];
  rightEye: readonly Landmark[];
  leftIris: readonly Landmark[];
  rightIris: readonly Landmark[];
}

/** Builds the 478-point list: mesh copied, refined x/y written over it, iris z = mean eye-contour z. */
export function refineLandmarks(parts: RefinementParts): Landmark[] {
  const out: Landmark[] = parts.mesh.map((l) => ({ x: l.x, y: l.y, z: l.z }));
  for (let i = 468; i < 478; i++) out.push({ x: 0, y: 0, z: 0 });
  const assignXY = (src: readonly Landmark[], indices: readonly number[]): void => {
    indices.forEach((target, k) => {
      const p = src[k];
      const o = out[target];
      if (p === undefined || o === undefined) throw new RangeError(`refinement source too short for #${target}`);
      o.x = p.x;
      o.y = p.y;
    });
  };
  assignXY(parts.lips, LIPS_INDICES);
  assignXY(parts.leftEye, LEFT_EYE_INDICES);
  assignXY(parts.rightEye, RIGHT_EYE_INDICES);
  assignXY(parts.leftIris, LEFT_IRIS_INDICES);
  assignXY(parts.rightIris, RIGHT_IRIS_INDICES);
  const meanZ = (indices: readonly number[]): number =>
    indices.slice(0, EYE_CONTOUR_COUNT).reduce((s, i) => s + out[i]!.z, 0) / EYE_CONTOUR_COUNT;
  const leftZ = meanZ(LEFT_EYE_INDICES);
  const rightZ = meanZ(RIGHT_EYE_INDICES);
  for (const i of LEFT_IRIS_INDICES) out[i]!.z = leftZ;
  for (const i of RIGHT_IRIS_INDICES) out[i]!.z = rightZ;
  return out;
}
