// The large-hand test set, made at run time from the shared hand photos: a crop around each hand,
// rotated, scaled so it fills most of a large frame and pasted on a plain dark or light background.
// Each case knows where the crop landed (a quadrilateral in normalized frame coordinates).

import sharp from 'sharp';
import type { Point2 } from '../types.js';
import { testImagePath } from './paths.js';

/** One hand of a shared photo: its crop (normalized to the photo) and what it shows. */
export interface LargeHandSource {
  name: string;
  image: string;
  crop: { left: number; top: number; right: number; bottom: number };
  /** As MediaPipe labels it in the photo as given (not mirrored). */
  handedness: 'Left' | 'Right';
  /** The gesture the photo shows, where it names one for this hand. */
  gesture?: string;
}

/**
 * Crops take the wrist and some forearm, as a cut-out of a hand would. Handedness: MediaPipe's golden for left_hands.jpg; for the others, which hand it is in the photo
 * (the person faces the camera, so their right hand shows the palm with the thumb on the image's left).
 */
export const LARGE_HAND_SOURCES: readonly LargeHandSource[] = Object.freeze([
  { name: 'thumb_up', image: 'hand_thumb_up.jpg', crop: { left: 0.2, top: 0.08, right: 0.66, bottom: 0.86 }, handedness: 'Left', gesture: 'Thumb_Up' },
  { name: 'pointing_up', image: 'gesture_pointing_up.jpg', crop: { left: 0.66, top: 0.03, right: 0.88, bottom: 0.47 }, handedness: 'Left', gesture: 'Pointing_Up' },
  { name: 'victory', image: 'gesture_victory.jpg', crop: { left: 0.05, top: 0.3, right: 0.5, bottom: 1 }, handedness: 'Right', gesture: 'Victory' },
  { name: 'thumbs_down', image: 'gesture_thumbs_down.jpg', crop: { left: 0.28, top: 0.28, right: 0.95, bottom: 0.98 }, handedness: 'Right', gesture: 'Thumb_Down' },
  { name: 'left_up', image: 'left_hands.jpg', crop: { left: 0.05, top: 0, right: 0.48, bottom: 1 }, handedness: 'Left', gesture: 'Open_Palm' },
  { name: 'left_down', image: 'left_hands.jpg', crop: { left: 0.52, top: 0, right: 0.95, bottom: 1 }, handedness: 'Left' },
  { name: 'fist', image: 'asl_fist_frame000.png', crop: { left: 0.33, top: 0.33, right: 0.78, bottom: 0.8 }, handedness: 'Right', gesture: 'Closed_Fist' },
]);

export const LARGE_HAND_FRAMES = Object.freeze([
  { width: 1920, height: 1280 },
  { width: 1280, height: 1280 },
]);
export const LARGE_HAND_BACKGROUNDS = Object.freeze({ dark: { r: 16, g: 16, b: 16 }, light: { r: 240, g: 240, b: 240 } });
export type LargeHandBackground = keyof typeof LARGE_HAND_BACKGROUNDS;
/** Degrees clockwise. */
export const LARGE_HAND_ROTATIONS = Object.freeze([0, 90, 180, 270, 30, -30]);

export interface LargeHandSpec {
  source: LargeHandSource;
  frame: { width: number; height: number };
  background: LargeHandBackground;
  rotationDeg: number;
  /** The rotated crop's bounding box spans this fraction of the frame's limiting side. */
  fill: number;
}

export interface LargeHandCase extends LargeHandSpec {
  name: string;
  /** JPEG (quality 92) of the frame. */
  encoded: Uint8Array;
  /** The crop's corners in the frame (normalized), clockwise from its top-left. */
  region: readonly Point2[];
}

/** Every combination of source, frame, background and rotation (168 cases). */
export function largeHandSpecs(fill = 0.9): LargeHandSpec[] {
  const specs: LargeHandSpec[] = [];
  for (const source of LARGE_HAND_SOURCES) {
    for (const frame of LARGE_HAND_FRAMES) {
      for (const background of Object.keys(LARGE_HAND_BACKGROUNDS) as LargeHandBackground[]) {
        for (const rotationDeg of LARGE_HAND_ROTATIONS) specs.push({ source, frame, background, rotationDeg, fill });
      }
    }
  }
  return specs;
}

export function largeHandCaseName(s: LargeHandSpec): string {
  return `${s.source.name}@${s.frame.width}x${s.frame.height}/${s.background}/${s.rotationDeg}°`;
}

/** Renders one case with sharp. */
export async function makeLargeHandCase(spec: LargeHandSpec): Promise<LargeHandCase> {
  const { source, frame, rotationDeg, fill } = spec;
  const background = LARGE_HAND_BACKGROUNDS[spec.background];
  const photo = sharp(testImagePath(source.image));
  const meta = await photo.metadata();
  const iw = meta.width;
  const ih = meta.height;
  const left = Math.round(source.crop.left * iw);
  const top = Math.round(source.crop.top * ih);
  const cw = Math.round(source.crop.right * iw) - left;
  const ch = Math.round(source.crop.bottom * ih) - top;
  const cropped = await photo.extract({ left, top, width: cw, height: ch }).removeAlpha().raw().toBuffer();
  const rotated = await sharp(cropped, { raw: { width: cw, height: ch, channels: 3 } })
    .rotate(rotationDeg, { background })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rw = rotated.info.width;
  const rh = rotated.info.height;
  const scale = Math.min((frame.width * fill) / rw, (frame.height * fill) / rh);
  const sw = Math.round(rw * scale);
  const sh = Math.round(rh * scale);
  const scaled = await sharp(rotated.data, { raw: { width: rw, height: rh, channels: 3 } }).resize(sw, sh, { fit: 'fill' }).raw().toBuffer();
  const ox = Math.round((frame.width - sw) / 2);
  const oy = Math.round((frame.height - sh) / 2);
  const encoded = await sharp({ create: { width: frame.width, height: frame.height, channels: 3, background } })
    .composite([{ input: scaled, raw: { width: sw, height: sh, channels: 3 }, left: ox, top: oy }])
    .jpeg({ quality: 92 })
    .toBuffer();
  // Crop corners about its centre, rotated clockwise (y down), then scaled and placed.
  const a = (rotationDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const sx = sw / rw;
  const sy = sh / rh;
  const region = [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => {
    const dx = (u! * cw) / 2;
    const dy = (v! * ch) / 2;
    return {
      x: (ox + (rw / 2 + dx * cos - dy * sin) * sx) / frame.width,
      y: (oy + (rh / 2 + dx * sin + dy * cos) * sy) / frame.height,
    };
  });
  return { ...spec, name: largeHandCaseName(spec), encoded: new Uint8Array(encoded), region };
}

/** Whether p lies inside the convex quadrilateral, or within `margin` (normalized) of its edges. */
export function insideRegion(p: Point2, region: readonly Point2[], margin = 0): boolean {
  for (let i = 0; i < region.length; i++) {
    const a = region[i]!;
    const b = region[(i + 1) % region.length]!;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    // Clockwise corners in y-down coordinates: inside points lie to the right of each edge.
    const cross = (ex * (p.y - a.y) - ey * (p.x - a.x)) / Math.hypot(ex, ey);
    if (cross < -margin) return false;
  }
  return true;
}
