// Projects landmarks from a rotated ROI back to the full image, following MediaPipe's
// LandmarkProjectionCalculator (NORM_RECT input).

import type { Landmark, NormalizedRect } from '../types.js';

/**
 * Landmarks normalized to the ROI crop (0..1 across the crop) → normalized image coordinates.
 * z is scaled by the rect width, as MediaPipe does.
 */
export function projectLandmarks(landmarks: readonly Landmark[], rect: NormalizedRect, ignoreRotation = false): Landmark[] {
  const angle = ignoreRotation ? 0 : rect.rotation;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return landmarks.map((lm) => {
    const x = lm.x - 0.5;
    const y = lm.y - 0.5;
    const out: Landmark = {
      x: (c * x - s * y) * rect.width + rect.xCenter,
      y: (s * x + c * y) * rect.height + rect.yCenter,
      z: lm.z * rect.width,
    };
    if (lm.visibility !== undefined) out.visibility = lm.visibility;
    if (lm.presence !== undefined) out.presence = lm.presence;
    return out;
  });
}
