// Shared vision types: frame input, normalized geometry and per-task results.
// Coordinates are normalized to the input image (x / width, y / height, origin top-left);
// z follows MediaPipe: same scale as x, smaller values are closer to the camera.

/** Pixel layouts accepted for raw frames. */
export type PixelFormat = 'RGB' | 'BGR' | 'RGBA' | 'BGRA' | 'GRAY';

/** Uncompressed pixels; `stride` is bytes per row (defaults to width × channels). */
export interface RawFrame {
  data: Uint8Array;
  width: number;
  height: number;
  format: PixelFormat;
  stride?: number;
}

/** A JPEG or PNG file's bytes. EXIF orientation is honoured when decoding. */
export interface EncodedFrame {
  encoded: Uint8Array;
}

export type Frame = RawFrame | EncodedFrame;

/** Packed 8-bit RGB image (3 bytes per pixel, no row padding). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ImageSize {
  width: number;
  height: number;
}

export interface Point2 {
  x: number;
  y: number;
}

/** Normalized landmark; visibility/presence are probabilities when the model provides them. */
export interface Landmark {
  x: number;
  y: number;
  z: number;
  visibility?: number;
  presence?: number;
}

/** Axis-aligned box, normalized to the image. */
export interface BoundingBox {
  xmin: number;
  ymin: number;
  width: number;
  height: number;
}

/** A detector output after decoding (MediaPipe's Detection with a relative bounding box). */
export interface Detection {
  box: BoundingBox;
  score: number;
  keypoints: Point2[];
  /** Class index for multi-class detectors (0 for single-class ones). */
  classId: number;
}

/**
 * MediaPipe's NormalizedRect: centre and size normalized to the image (width by image width,
 * height by image height), rotation in radians, clockwise positive in image coordinates (y down).
 */
export interface NormalizedRect {
  xCenter: number;
  yCenter: number;
  width: number;
  height: number;
  rotation: number;
}

/** Padding added around the image when it was letterboxed into a tensor, as fractions of the tensor. */
export interface LetterboxPadding {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * One face from the BlazeFace detector: box, score and 6 keypoints in MediaPipe order — right eye,
 * left eye, nose tip, mouth centre, right ear tragion, left ear tragion ("right"/"left" are the
 * subject's; the subject's right eye is on the image's left).
 */
export type FaceDetection = Detection;

/** Face mesh for one face: 468 landmarks, or 478 with refined irises (attention model). */
export interface FaceMeshResult {
  landmarks: Landmark[];
  /** Face presence probability from the mesh model (sigmoid of its face flag). */
  presence: number;
  /** The rotated region the mesh model looked at. */
  roi: NormalizedRect;
  /** Axis-aligned bounds of the landmarks. */
  box: BoundingBox;
  /** Stable id in video mode (tracker); absent in single-image mode. */
  id?: number;
}

/** Gaze direction in radians: yaw > 0 looks to the image's right, pitch > 0 looks up. */
export interface GazeAngles {
  yaw: number;
  pitch: number;
}

/**
 * Iris model output for one eye. "left"/"right" follow MediaPipe's iris naming, which is the
 * image side: the left eye is mesh 33..133 with iris 468-472 (the subject's right eye).
 */
export interface EyeResult {
  /** Iris centre followed by 4 iris edge points (normalized image coordinates). */
  iris: Landmark[];
  /** 71 eye contour and brow landmarks (MediaPipe iris model order). */
  contour: Landmark[];
  /** Iris diameter normalized by image width. */
  irisDiameter: number;
  gaze: GazeAngles;
  roi: NormalizedRect;
}

export interface IrisResult {
  /** Image-left eye: mesh corners 33 and 133, iris points 468-472. */
  left: EyeResult;
  /** Image-right eye: mesh corners 362 and 263, iris points 473-477 (crop flipped for the model). */
  right: EyeResult;
  /** Mean of both eyes' gaze. */
  gaze: GazeAngles;
}

/** Wall-clock milliseconds spent per stage of the last call (model = all inference runs). */
export interface StageTimings {
  decodeMs: number;
  preprocessMs: number;
  modelMs: number;
  postprocessMs: number;
}

export function emptyTimings(): StageTimings {
  return { decodeMs: 0, preprocessMs: 0, modelMs: 0, postprocessMs: 0 };
}

/** A face in video mode: stable id while it stays tracked, plus irises when requested. */
export interface TrackedFace extends FaceMeshResult {
  id: number;
  iris?: IrisResult;
}

export interface FaceTrackingResult {
  faces: TrackedFace[];
  /** Whether the detector ran on this frame (false when every face came from the previous frame's landmarks). */
  detectorRan: boolean;
  frameIndex: number;
}
