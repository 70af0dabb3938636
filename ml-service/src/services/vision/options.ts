// Validation of Vision request options: fills the documented defaults and rejects NaN or
// out-of-range values with INVALID_ARGUMENT naming the proto field (e.g. `options.min_score`).
import {
  ImageEncoding, PoseModel,
  type FaceDetectionOptions, type FaceMeshOptions, type HandsOptions, type IrisOptions, type ObjectDetectionOptions, type PoseOptions, type SegmentOptions,
} from '@tabagent/protos/v1/vision';
import type { Frame as ProtoFrame } from '@tabagent/protos/v1/vision';
import { invalidArgument } from '../../vision/errors.js';
import { DEFAULT_IOU_THRESHOLD, DEFAULT_MAX_RESULTS, DEFAULT_MIN_SCORE, MAX_RESULTS_LIMIT } from '../../vision/objects/constants.js';

/** Most faces one request may ask for. */
export const MAX_FACES_LIMIT = 100;
/** Most hands one request may ask for. */
export const MAX_HANDS_LIMIT = 10;

/** A probability option: unset → `fallback`; NaN or outside [0, 1] → INVALID_ARGUMENT. */
export function unitOption(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || value > 1) throw invalidArgument(field, `must be a number in [0, 1], got ${value}`);
  return value;
}

/** A count option: 0 → `fallback`; above `max` → INVALID_ARGUMENT. */
export function countOption(value: number, field: string, fallback: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw invalidArgument(field, `must be an integer in [0, ${max}] (0 = default ${fallback}), got ${value}`);
  return value === 0 ? fallback : value;
}

export interface FaceDetectionSettings { maxFaces: number; minScore: number }
export interface FaceMeshSettings extends FaceDetectionSettings { refine: boolean }
export interface HandsSettings { maxHands: number; minScore: number; selfie: boolean }
export interface PoseSettings { minScore: number; segmentation: boolean }

export function faceDetectionSettings(o: FaceDetectionOptions | undefined, prefix = 'options'): FaceDetectionSettings {
  return {
    maxFaces: countOption(o?.maxFaces ?? 0, `${prefix}.max_faces`, 10, MAX_FACES_LIMIT),
    minScore: unitOption(o?.minScore, `${prefix}.min_score`, 0.5),
  };
}

export function faceMeshSettings(o: FaceMeshOptions | undefined, prefix = 'options'): FaceMeshSettings {
  return {
    maxFaces: countOption(o?.maxFaces ?? 0, `${prefix}.max_faces`, 1, MAX_FACES_LIMIT),
    minScore: unitOption(o?.minScore, `${prefix}.min_score`, 0.5),
    refine: o?.refineLandmarks ?? false,
  };
}

export function irisSettings(o: IrisOptions | undefined, prefix = 'options'): FaceMeshSettings {
  return { maxFaces: countOption(o?.maxFaces ?? 0, `${prefix}.max_faces`, 1, MAX_FACES_LIMIT), minScore: 0.5, refine: false };
}

export function handsSettings(o: HandsOptions | undefined, prefix = 'options'): HandsSettings {
  return {
    maxHands: countOption(o?.maxHands ?? 0, `${prefix}.max_hands`, 2, MAX_HANDS_LIMIT),
    minScore: unitOption(o?.minScore, `${prefix}.min_score`, 0.5),
    selfie: o?.selfie ?? false,
  };
}

export function poseComplexity(c: PoseModel | undefined, field: string): PoseModel {
  const value = c ?? PoseModel.POSE_MODEL_UNSPECIFIED;
  if (PoseModel[value] === undefined || value === PoseModel.UNRECOGNIZED) throw invalidArgument(field, `unknown pose model ${value}`);
  return value;
}

export function poseSettings(o: PoseOptions | undefined, prefix = 'options'): PoseSettings {
  poseComplexity(o?.complexity, `${prefix}.complexity`);
  return { minScore: unitOption(o?.minScore, `${prefix}.min_score`, 0.5), segmentation: o?.segmentation ?? false };
}

/** A background effect, validated. */
export type EffectSetting =
  | { kind: 'none' }
  | { kind: 'blur'; radius: number }
  | { kind: 'color'; color: readonly [number, number, number] }
  | { kind: 'image'; frame: ProtoFrame; field: string };

export interface SegmentSettings {
  modelSizeMask: boolean;
  effect: EffectSetting;
  encoding: ImageEncoding;
}

/** Largest blur radius accepted. */
export const MAX_BLUR_RADIUS = 100;

export function segmentSettings(o: SegmentOptions | undefined, prefix = 'options'): SegmentSettings {
  const encoding = o?.outputEncoding ?? ImageEncoding.IMAGE_ENCODING_UNSPECIFIED;
  if (ImageEncoding[encoding] === undefined || encoding === ImageEncoding.UNRECOGNIZED) {
    throw invalidArgument(`${prefix}.output_encoding`, `unknown encoding ${encoding}`);
  }
  const e = o?.effect;
  let effect: EffectSetting = { kind: 'none' };
  if (e?.blurRadius !== undefined) {
    const r = e.blurRadius;
    if (!Number.isInteger(r) || r < 1 || r > MAX_BLUR_RADIUS) throw invalidArgument(`${prefix}.effect.blur_radius`, `must be an integer in [1, ${MAX_BLUR_RADIUS}], got ${r}`);
    effect = { kind: 'blur', radius: r };
  } else if (e?.backgroundColor !== undefined) {
    const c = e.backgroundColor;
    if (!Number.isInteger(c) || c < 0 || c > 0xffffff) throw invalidArgument(`${prefix}.effect.background_color`, `must be 0xRRGGBB, got ${c}`);
    effect = { kind: 'color', color: [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff] };
  } else if (e?.backgroundImage !== undefined) {
    effect = { kind: 'image', frame: e.backgroundImage, field: `${prefix}.effect.background_image` };
  }
  return { modelSizeMask: o?.modelSizeMask ?? false, effect, encoding };
}

export interface ObjectDetectionSettings { maxResults: number; minScore: number; iouThreshold: number; allowlist: readonly string[] }

/** Most labels one allowlist may name. */
export const MAX_ALLOWLIST = 100;

export function objectDetectionSettings(o: ObjectDetectionOptions | undefined, prefix = 'options'): ObjectDetectionSettings {
  const allowlist = o?.categoryAllowlist ?? [];
  if (allowlist.length > MAX_ALLOWLIST) throw invalidArgument(`${prefix}.category_allowlist`, `names ${allowlist.length} labels, at most ${MAX_ALLOWLIST}`);
  return {
    maxResults: countOption(o?.maxResults ?? 0, `${prefix}.max_results`, DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT),
    minScore: unitOption(o?.minScore, `${prefix}.min_score`, DEFAULT_MIN_SCORE),
    iouThreshold: unitOption(o?.iouThreshold, `${prefix}.iou_threshold`, DEFAULT_IOU_THRESHOLD),
    allowlist,
  };
}
