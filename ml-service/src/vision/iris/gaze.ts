// Eye-in-head gaze estimate from the iris centre relative to the eye corners and lids, and iris diameter.
//
// Per eye, in pixel space (x·width, y·height, so the geometry is isotropic):
//   u  = unit vector from the image-left eye corner to the image-right eye corner; v = u turned +90°
//        (points down the face when the head is upright); a = half the corner-to-corner distance.
//   m  = corner midpoint; l = midpoint of the upper-lid and lower-lid centre points; c = iris centre.
//   The iris centre is modelled as moving on a sphere of radius R = k·a around the eye's centre of
//   rotation, with k = IRIS_ROTATION_RADIUS_RATIO ≈ 0.7 (iris plane ≈ 10 mm from the rotation centre,
//   eye opening ≈ 29 mm wide). Looking straight ahead, the iris sits s = NEUTRAL_OUTWARD_SHIFT·a
//   towards the outer corner from m (the inner corner reaches further, past the caruncle); o = ±1 is
//   the direction of the outer corner along u. Then
//     yaw   = asin(clamp(((c − m)·u − o·s) / R))   > 0: looking towards the image's right
//     pitch = asin(clamp(−((c − l)·v) / R))        > 0: looking up
// Angles are relative to the head, not corrected for head pose. Combined gaze is the mean of both eyes.

import type { GazeAngles, ImageSize, Landmark, Point2 } from '../types.js';

export const IRIS_ROTATION_RADIUS_RATIO = 0.7;
/** Neutral iris offset towards the outer corner, as a fraction of the half eye width. */
export const NEUTRAL_OUTWARD_SHIFT = 0.1;

/** Indices into the iris model's 71-point contour (same order for both eyes, see LEFT/RIGHT_EYE_INDICES). */
export const CONTOUR_OUTER_CORNER = 0;
export const CONTOUR_INNER_CORNER = 8;
export const CONTOUR_LOWER_LID_CENTRE = 4;
export const CONTOUR_UPPER_LID_CENTRE = 12;

export interface EyeGeometry {
  /** Image-left and image-right eye corners. */
  leftCorner: Point2;
  rightCorner: Point2;
  upperLid: Point2;
  lowerLid: Point2;
  irisCentre: Point2;
  /** +1 when the outer corner is the image-right one, −1 when it is the image-left one. */
  outward: 1 | -1;
}

export interface GazeModel {
  radiusRatio: number;
  neutralOutwardShift: number;
}

export const DEFAULT_GAZE_MODEL: Readonly<GazeModel> = Object.freeze({
  radiusRatio: IRIS_ROTATION_RADIUS_RATIO,
  neutralOutwardShift: NEUTRAL_OUTWARD_SHIFT,
});

function clampUnit(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

export function gazeFromGeometry(g: EyeGeometry, image: ImageSize, model: GazeModel = DEFAULT_GAZE_MODEL): GazeAngles {
  const px = (p: Point2): Point2 => ({ x: p.x * image.width, y: p.y * image.height });
  const l = px(g.leftCorner);
  const r = px(g.rightCorner);
  const c = px(g.irisCentre);
  const up = px(g.upperLid);
  const lo = px(g.lowerLid);
  const dx = r.x - l.x;
  const dy = r.y - l.y;
  const len = Math.hypot(dx, dy);
  if (len === 0) return { yaw: 0, pitch: 0 };
  const u = { x: dx / len, y: dy / len };
  const v = { x: -u.y, y: u.x };
  const half = len / 2;
  const radius = model.radiusRatio * half;
  const m = { x: (l.x + r.x) / 2, y: (l.y + r.y) / 2 };
  const lid = { x: (up.x + lo.x) / 2, y: (up.y + lo.y) / 2 };
  const along = (c.x - m.x) * u.x + (c.y - m.y) * u.y - g.outward * model.neutralOutwardShift * half;
  const across = (c.x - lid.x) * v.x + (c.y - lid.y) * v.y;
  return { yaw: Math.asin(clampUnit(along / radius)), pitch: Math.asin(clampUnit(-across / radius)) };
}

/** Geometry from the iris model output; `flipped` marks the image-right eye (outer corner on the right). */
export function eyeGeometry(contour: readonly Landmark[], iris: readonly Landmark[], flipped: boolean): EyeGeometry {
  const outer = contour[CONTOUR_OUTER_CORNER]!;
  const inner = contour[CONTOUR_INNER_CORNER]!;
  return {
    leftCorner: flipped ? inner : outer,
    rightCorner: flipped ? outer : inner,
    upperLid: contour[CONTOUR_UPPER_LID_CENTRE]!,
    lowerLid: contour[CONTOUR_LOWER_LID_CENTRE]!,
    irisCentre: iris[0]!,
    outward: flipped ? 1 : -1,
  };
}

/**
 * Iris diameter as MediaPipe's IrisToDepthCalculator measures it: mean of the horizontal (points 1–3)
 * and vertical (points 2–4) extents in pixels, returned normalized by the image width.
 */
export function irisDiameter(iris: readonly Landmark[], image: ImageSize): number {
  const d = (a: Landmark, b: Landmark): number => Math.hypot((a.x - b.x) * image.width, (a.y - b.y) * image.height);
  return (d(iris[1]!, iris[3]!) + d(iris[2]!, iris[4]!)) / 2 / image.width;
}

export function meanGaze(a: GazeAngles, b: GazeAngles): GazeAngles {
  return { yaw: (a.yaw + b.yaw) / 2, pitch: (a.pitch + b.pitch) / 2 };
}
