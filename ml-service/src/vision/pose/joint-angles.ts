// Joint angles (degrees) of the elbows, shoulders, hips, knees and ankles on both sides, from the
// 33 BlazePose world landmarks. An angle is the inner angle at the joint: a straight limb is 180°.

/** BlazePose landmark indices used here ("left"/"right" are the subject's sides). */
export const POSE_INDEX = {
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
  leftHip: 23,
  rightHip: 24,
  leftKnee: 25,
  rightKnee: 26,
  leftAnkle: 27,
  rightAnkle: 28,
  leftHeel: 29,
  rightHeel: 30,
  leftFootIndex: 31,
  rightFootIndex: 32,
} as const;

export const POSE_LANDMARK_COUNT = 33;

export type JointName =
  | 'leftElbow'
  | 'rightElbow'
  | 'leftShoulder'
  | 'rightShoulder'
  | 'leftHip'
  | 'rightHip'
  | 'leftKnee'
  | 'rightKnee'
  | 'leftAnkle'
  | 'rightAnkle';

/**
 * Each joint as [a, vertex, c]: the angle is measured at `vertex` between the rays to `a` and `c`.
 * - elbow: shoulder-elbow-wrist; shoulder: elbow-shoulder-hip (arm vs torso);
 * - hip: shoulder-hip-knee (torso vs thigh); knee: hip-knee-ankle; ankle: knee-ankle-foot index.
 */
export const JOINT_TRIPLETS: Readonly<Record<JointName, readonly [number, number, number]>> = {
  leftElbow: [POSE_INDEX.leftShoulder, POSE_INDEX.leftElbow, POSE_INDEX.leftWrist],
  rightElbow: [POSE_INDEX.rightShoulder, POSE_INDEX.rightElbow, POSE_INDEX.rightWrist],
  leftShoulder: [POSE_INDEX.leftElbow, POSE_INDEX.leftShoulder, POSE_INDEX.leftHip],
  rightShoulder: [POSE_INDEX.rightElbow, POSE_INDEX.rightShoulder, POSE_INDEX.rightHip],
  leftHip: [POSE_INDEX.leftShoulder, POSE_INDEX.leftHip, POSE_INDEX.leftKnee],
  rightHip: [POSE_INDEX.rightShoulder, POSE_INDEX.rightHip, POSE_INDEX.rightKnee],
  leftKnee: [POSE_INDEX.leftHip, POSE_INDEX.leftKnee, POSE_INDEX.leftAnkle],
  rightKnee: [POSE_INDEX.rightHip, POSE_INDEX.rightKnee, POSE_INDEX.rightAnkle],
  leftAnkle: [POSE_INDEX.leftKnee, POSE_INDEX.leftAnkle, POSE_INDEX.leftFootIndex],
  rightAnkle: [POSE_INDEX.rightKnee, POSE_INDEX.rightAnkle, POSE_INDEX.rightFootIndex],
};

export const JOINT_NAMES = Object.keys(JOINT_TRIPLETS) as readonly JointName[];

export interface PosePoint {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly visibility?: number;
}

export interface JointAngle {
  /** Inner angle in degrees, 0..180 (180 = straight). NaN when two of the points coincide. */
  readonly degrees: number;
  /** Smallest visibility of the three landmarks (1 when the landmarks carry none). */
  readonly visibility: number;
}

export type JointAngles = Readonly<Record<JointName, JointAngle>>;

/** Inner angle at `b` between rays b→a and b→c, in degrees; NaN for a zero-length ray. */
export function angleAt(a: PosePoint, b: PosePoint, c: PosePoint): number {
  const ux = a.x - b.x;
  const uy = a.y - b.y;
  const uz = a.z - b.z;
  const vx = c.x - b.x;
  const vy = c.y - b.y;
  const vz = c.z - b.z;
  const nu = Math.hypot(ux, uy, uz);
  const nv = Math.hypot(vx, vy, vz);
  if (nu === 0 || nv === 0) return Number.NaN;
  const cos = (ux * vx + uy * vy + uz * vz) / (nu * nv);
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}

/**
 * Computes all ten joint angles. World landmarks (metres) give true 3D angles; normalized image
 * landmarks can be used too but then x, y and z have different scales (pass them corrected).
 * Throws a RangeError when fewer than 33 landmarks are given.
 */
export function computeJointAngles(landmarks: readonly PosePoint[]): JointAngles {
  if (landmarks.length < POSE_LANDMARK_COUNT) {
    throw new RangeError(`expected ${POSE_LANDMARK_COUNT} pose landmarks, got ${landmarks.length}`);
  }
  const out = {} as Record<JointName, JointAngle>;
  for (const name of JOINT_NAMES) {
    const [ia, ib, ic] = JOINT_TRIPLETS[name];
    const a = landmarks[ia] as PosePoint;
    const b = landmarks[ib] as PosePoint;
    const c = landmarks[ic] as PosePoint;
    out[name] = {
      degrees: angleAt(a, b, c),
      visibility: Math.min(a.visibility ?? 1, b.visibility ?? 1, c.visibility ?? 1),
    };
  }
  return out;
}
