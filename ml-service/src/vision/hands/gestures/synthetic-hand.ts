// Builds synthetic 21-point hands from finger bends and a thumb direction, for gesture tests and
// for checking the gesture table without a model. Units: palm length (wrist to middle base) = 1.

import type { Vec3 } from './hand-geometry.js';

export interface SyntheticHandSpec {
  /** Bend per joint in degrees for index, middle, ring, pinky (0 = straight, ~80 = fist). */
  readonly fingerBends: readonly [number, number, number, number];
  /** Bend per thumb joint (MCP and IP) in degrees. */
  readonly thumbBend: number;
  /**
   * Thumb direction in the upright hand, degrees from "up" toward the thumb side (-x):
   * 0 = along the fingers, 90 = straight out sideways, -70 = across the palm.
   */
  readonly thumbAngleDeg: number;
  /** In-plane rotation of the whole hand, degrees clockwise on screen (y down). */
  readonly rollDeg?: number;
}

const FINGER_BASES: readonly (readonly [number, number])[] = [
  [-0.25, -0.95],
  [0, -1],
  [0.22, -0.95],
  [0.42, -0.85],
];
const PHALANX = [0.45, 0.28, 0.22] as const;
const THUMB_CMC: readonly [number, number] = [-0.2, -0.25];
const THUMB_BONES = [0.4, 0.3, 0.25] as const;

/** Walks a chain from `start` along `dir`, curling toward the camera (-z) by `bend` at each joint. */
function chain(start: Vec3, dir: Vec3, lengths: readonly number[], bends: readonly number[]): Vec3[] {
  const pts: Vec3[] = [];
  let p = start;
  let angle = 0;
  for (let k = 0; k < lengths.length; k++) {
    angle += ((bends[k] ?? 0) * Math.PI) / 180;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const len = lengths[k] ?? 0;
    p = { x: p.x + len * c * dir.x, y: p.y + len * c * dir.y, z: p.z - len * s };
    pts.push(p);
  }
  return pts;
}

/** Returns 21 landmarks in MediaPipe order (wrist at the origin, fingers up before rolling). */
export function syntheticHand(spec: SyntheticHandSpec): Vec3[] {
  const pts: Vec3[] = [{ x: 0, y: 0, z: 0 }];
  const a = (spec.thumbAngleDeg * Math.PI) / 180;
  const thumbDir = { x: -Math.sin(a), y: -Math.cos(a), z: 0 };
  const cmc = { x: THUMB_CMC[0], y: THUMB_CMC[1], z: 0 };
  pts.push(cmc, ...chain(cmc, thumbDir, THUMB_BONES, [0, spec.thumbBend, spec.thumbBend]));
  FINGER_BASES.forEach(([bx, by], f) => {
    const base = { x: bx, y: by, z: 0 };
    const bend = spec.fingerBends[f] ?? 0;
    pts.push(base, ...chain(base, { x: 0, y: -1, z: 0 }, PHALANX, [bend, bend, bend]));
  });
  const roll = ((spec.rollDeg ?? 0) * Math.PI) / 180;
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  return pts.map((p) => ({ x: p.x * c - p.y * s, y: p.x * s + p.y * c, z: p.z }));
}
