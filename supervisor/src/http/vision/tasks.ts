// The seven tasks of POST /v1/vision/{task}: the gRPC Vision method each one calls, its request and
// response messages, and its options (HTTP names in snake_case, as in the .proto; each maps to the
// camelCase field of the gRPC options message). Options come as query parameters, JSON fields or
// multipart form fields, so values may arrive as strings and are read by their kind.
import { badParam } from '../core/errors.js';

/** How an option's value is read. */
export type OptionKind = 'uint' | 'score' | 'bool' | 'complexity' | 'encoding' | 'string';

/** One task. */
export interface VisionTask {
  /** Path segment: /v1/vision/{name}. */
  name: string;
  /** gRPC method of tabagent.v1.Vision. */
  method: string;
  request: string;
  response: string;
  summary: string;
  options: Readonly<Record<string, OptionKind>>;
}

const MODEL = { model: 'string' } as const;
const COMPLEXITY = ['lite', 'full', 'heavy'] as const;
const ENCODINGS = ['png', 'jpeg'] as const;

/** The tasks, in the order of the gRPC service. */
export const VISION_TASKS: readonly VisionTask[] = Object.freeze<VisionTask[]>([
  { name: 'faces', method: 'DetectFaces', request: 'DetectFacesRequest', response: 'DetectFacesResponse', summary: 'BlazeFace face detection: boxes, scores and 6 keypoints',
    options: { ...MODEL, max_faces: 'uint', min_score: 'score' } },
  { name: 'mesh', method: 'FaceMesh', request: 'FaceMeshRequest', response: 'FaceMeshResponse', summary: 'Face landmarks: 468 points, or 478 with refine_landmarks',
    options: { ...MODEL, max_faces: 'uint', min_score: 'score', refine_landmarks: 'bool' } },
  { name: 'iris', method: 'Iris', request: 'IrisRequest', response: 'IrisResponse', summary: 'Iris and eye-contour landmarks with gaze angles',
    options: { ...MODEL, max_faces: 'uint' } },
  { name: 'hands', method: 'Hands', request: 'HandsRequest', response: 'HandsResponse', summary: 'Hand landmarks, handedness and gestures',
    options: { ...MODEL, max_hands: 'uint', min_score: 'score', selfie: 'bool', lite: 'bool' } },
  { name: 'pose', method: 'Pose', request: 'PoseRequest', response: 'PoseResponse', summary: 'Body pose landmarks, world landmarks and joint angles',
    options: { ...MODEL, complexity: 'complexity', segmentation: 'bool', min_score: 'score' } },
  { name: 'holistic', method: 'Holistic', request: 'HolisticRequest', response: 'HolisticResponse', summary: 'Pose, face mesh and both hands in one pass',
    options: { refine_face_landmarks: 'bool', complexity: 'complexity' } },
  { name: 'segment', method: 'Segment', request: 'SegmentRequest', response: 'SegmentResponse',
    summary: 'Person segmentation; with Accept: image/png the answer is the mask (or, with an effect, the image) as PNG',
    options: { ...MODEL, model_size_mask: 'bool', landscape: 'bool', blur_radius: 'uint', background_color: 'uint', output_encoding: 'encoding' } },
]);

/** JSON schema of one option. */
export function optionSchema(kind: OptionKind): Record<string, unknown> {
  switch (kind) {
    case 'uint': return { type: 'integer', minimum: 0 };
    case 'score': return { type: 'number', minimum: 0, maximum: 1 };
    case 'bool': return { type: 'boolean' };
    case 'complexity': return { type: 'string', enum: [...COMPLEXITY] };
    case 'encoding': return { type: 'string', enum: [...ENCODINGS] };
    case 'string': return { type: 'string' };
  }
}

/** A value as the client sent it, for a message (JSON shows Infinity and NaN as null). */
const shown = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

/** Reads one option value (a string from a query or form, or a JSON value) by its kind. */
export function readOption(name: string, kind: OptionKind, v: unknown): string | number | boolean {
  const s = typeof v === 'string' ? v.trim() : v;
  switch (kind) {
    case 'uint': {
      const n = typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw badParam(name, `must be a non-negative integer, got ${shown(v)}`);
      return n;
    }
    case 'score': {
      const n = typeof s === 'string' && s !== '' ? Number(s) : s;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw badParam(name, `must be a number, got ${shown(v)}`);
      return n;
    }
    case 'bool':
      if (s === true || s === 'true' || s === '1') return true;
      if (s === false || s === 'false' || s === '0') return false;
      throw badParam(name, `must be true or false, got ${shown(v)}`);
    case 'complexity':
    case 'encoding': {
      const allowed: readonly string[] = kind === 'complexity' ? COMPLEXITY : ENCODINGS;
      if (typeof s !== 'string' || !allowed.includes(s)) throw badParam(name, `must be one of ${allowed.join(', ')}, got ${shown(v)}`);
      return s;
    }
    case 'string':
      if (typeof s !== 'string') throw badParam(name, `must be a string, got ${shown(v)}`);
      return s;
  }
}

/** The options of a request, read from its sources (later sources win); unknown names are refused. */
export function readOptions(task: VisionTask, sources: ReadonlyArray<Record<string, unknown>>, ignore: ReadonlySet<string>): Map<string, string | number | boolean> {
  const out = new Map<string, string | number | boolean>();
  for (const src of sources) {
    for (const [name, v] of Object.entries(src)) {
      if (ignore.has(name) || v === undefined) continue;
      const kind = task.options[name];
      if (kind === undefined) throw badParam(name, `unknown option of ${task.name}; known: ${Object.keys(task.options).join(', ') || 'none'}`);
      out.set(name, readOption(name, kind, v));
    }
  }
  return out;
}
