// Hand geometry for gesture recognition: per-finger bend from joint angles and the thumb's
// pointing direction, computed from the 21 MediaPipe hand landmarks (world or normalized).

/** One landmark as consumed here; `z` may be absent for 2D references. */
export interface HandPoint {
  readonly x: number;
  readonly y: number;
  readonly z?: number | null;
}

/** MediaPipe hand topology: landmark indices of each finger, from its base joint to its tip. */
export const FINGER_JOINTS = {
  thumb: [1, 2, 3, 4],
  index: [5, 6, 7, 8],
  middle: [9, 10, 11, 12],
  ring: [13, 14, 15, 16],
  pinky: [17, 18, 19, 20],
} as const;

export type FingerName = keyof typeof FINGER_JOINTS;
export const FINGER_NAMES: readonly FingerName[] = ['thumb', 'index', 'middle', 'ring', 'pinky'];
export const HAND_LANDMARK_COUNT = 21;
const WRIST = 0;

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

export interface FingerState {
  /** Sum of the finger's three joint bends in degrees (0 = perfectly straight). */
  readonly bendDeg: number;
  /** Unit vector from the finger's base joint to its tip, in the landmark frame (y points down). */
  readonly direction: Vec3;
}

export interface HandGeometry {
  readonly fingers: Readonly<Record<FingerName, FingerState>>;
  /** Thumb tip to index base distance divided by palm length (wrist to middle base). */
  readonly thumbReach: number;
  /**
   * How far the thumb tip sticks out beyond every other finger landmark, measured along the
   * thumb's own direction (thumb base to tip), divided by palm length. Negative when the thumb lies
   * alongside or across the fingers (fist), positive when it is held away (thumb up, open hand).
   */
  readonly thumbClearance: number;
  /** Palm length (wrist to middle-finger base) in landmark units. */
  readonly palmLength: number;
}

export interface HandGeometryOptions {
  /**
   * Multiply x by this before measuring (image width / height for normalized landmarks, whose x and
   * y are divided by different sizes). Leave at 1 for world landmarks.
   */
  readonly xScale?: number;
  /** Multiply z by this (normalized z is roughly in x units, so the same as xScale by default). */
  readonly zScale?: number;
}

function toVec(p: HandPoint, xScale: number, zScale: number): Vec3 {
  return { x: p.x * xScale, y: p.y, z: (p.z ?? 0) * zScale };
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x - b.x, y: a.y - b.y, z: a.z - b.z };
}

export function norm(v: Vec3): number {
  return Math.hypot(v.x, v.y, v.z);
}

export function normalize(v: Vec3): Vec3 {
  const n = norm(v);
  return n > 0 ? { x: v.x / n, y: v.y / n, z: v.z / n } : { x: 0, y: 0, z: 0 };
}

/** Deviation from a straight line at joint b of the chain a-b-c, in degrees (0 = straight). */
export function bendAt(a: Vec3, b: Vec3, c: Vec3): number {
  const u = sub(b, a);
  const v = sub(c, b);
  const nu = norm(u);
  const nv = norm(v);
  if (nu === 0 || nv === 0) return 0;
  const cos = (u.x * v.x + u.y * v.y + u.z * v.z) / (nu * nv);
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}

/** Measures every finger of a 21-landmark hand. Throws a RangeError when fewer points are given. */
export function measureHand(landmarks: readonly HandPoint[], options: HandGeometryOptions = {}): HandGeometry {
  if (landmarks.length < HAND_LANDMARK_COUNT) {
    throw new RangeError(`expected ${HAND_LANDMARK_COUNT} hand landmarks, got ${landmarks.length}`);
  }
  const xScale = options.xScale ?? 1;
  const zScale = options.zScale ?? xScale;
  const pts = landmarks.map((p) => toVec(p, xScale, zScale));
  const at = (i: number): Vec3 => pts[i] as Vec3;
  const wrist = at(WRIST);
  const fingers = {} as Record<FingerName, FingerState>;
  for (const name of FINGER_NAMES) {
    const [j0, j1, j2, j3] = FINGER_JOINTS[name];
    // Thumb: bends at CMC(1)->MCP(2), MCP(2), IP(3); the CMC bend is measured from the wrist but
    // is naturally large, so the thumb uses only its two distal joints plus half the base bend.
    const base = bendAt(wrist, at(j0), at(j1));
    const mid = bendAt(at(j0), at(j1), at(j2));
    const tip = bendAt(at(j1), at(j2), at(j3));
    const bendDeg = name === 'thumb' ? mid + tip : base + mid + tip;
    fingers[name] = { bendDeg, direction: normalize(sub(at(j3), at(j0))) };
  }
  const palmLength = norm(sub(at(9), wrist));
  const thumbReach = palmLength > 0 ? norm(sub(at(4), at(5))) / palmLength : 0;
  const thumbClearance = palmLength > 0 ? clearance(pts, palmLength) : 0;
  return { fingers, thumbReach, thumbClearance, palmLength };
}

function clearance(pts: readonly Vec3[], palmLength: number): number {
  const base = pts[2] as Vec3;
  const d = normalize(sub(pts[4] as Vec3, base));
  const along = (p: Vec3): number => (p.x - base.x) * d.x + (p.y - base.y) * d.y + (p.z - base.z) * d.z;
  let farthestOther = -Infinity;
  for (let i = 5; i < HAND_LANDMARK_COUNT; i++) farthestOther = Math.max(farthestOther, along(pts[i] as Vec3));
  return (along(pts[4] as Vec3) - farthestOther) / palmLength;
}
