// The seven vision tasks of the CLI: which Vision method and Track task each uses, how its
// response becomes JSON (ts-proto's canonical JSON, the same as the gRPC result) and a readable summary.
import {
  DetectFacesResponse, FaceMeshResponse, HandsResponse, HolisticResponse, IrisResponse, PoseResponse, SegmentResponse, TrackTask,
  type Frame, type TrackResponse, type VisionClient,
} from '@tabagent/protos/v1/vision';
import type { Context } from './context.js';
import type { VisionResult } from './draw/vision-result.js';

export type { VisionResult };

export const TASK_NAMES = ['faces', 'mesh', 'iris', 'hands', 'pose', 'holistic', 'segment'] as const;
export type TaskName = (typeof TASK_NAMES)[number];


interface TaskSpec {
  track: TrackTask;
  /** The field of TrackResponse holding this task's result. */
  trackField: 'faces' | 'faceMesh' | 'iris' | 'hands' | 'pose' | 'holistic' | 'segment';
  toJSON(res: unknown): unknown;
}

export const TASKS: Readonly<Record<TaskName, TaskSpec>> = Object.freeze({
  faces: { track: TrackTask.TRACK_TASK_FACES, trackField: 'faces', toJSON: (r) => DetectFacesResponse.toJSON(r as DetectFacesResponse) },
  mesh: { track: TrackTask.TRACK_TASK_FACE_MESH, trackField: 'faceMesh', toJSON: (r) => FaceMeshResponse.toJSON(r as FaceMeshResponse) },
  iris: { track: TrackTask.TRACK_TASK_IRIS, trackField: 'iris', toJSON: (r) => IrisResponse.toJSON(r as IrisResponse) },
  hands: { track: TrackTask.TRACK_TASK_HANDS, trackField: 'hands', toJSON: (r) => HandsResponse.toJSON(r as HandsResponse) },
  pose: { track: TrackTask.TRACK_TASK_POSE, trackField: 'pose', toJSON: (r) => PoseResponse.toJSON(r as PoseResponse) },
  holistic: { track: TrackTask.TRACK_TASK_HOLISTIC, trackField: 'holistic', toJSON: (r) => HolisticResponse.toJSON(r as HolisticResponse) },
  segment: { track: TrackTask.TRACK_TASK_SEGMENT, trackField: 'segment', toJSON: (r) => SegmentResponse.toJSON(r as SegmentResponse) },
});

export function isTaskName(s: string): s is TaskName {
  return (TASK_NAMES as readonly string[]).includes(s);
}

/** Runs one task on one frame with the unary method. */
export async function runTask(ctx: Context, task: TaskName, frame: Partial<Frame>, model = ''): Promise<VisionResult> {
  const v: VisionClient = ctx.vision;
  const f = { data: Buffer.alloc(0), width: 0, height: 0, format: 0, stride: 0, encoded: Buffer.alloc(0), sharedMemory: undefined, ...frame };
  switch (task) {
    case 'faces': return { task, res: await ctx.call(v, v.detectFaces, { frame: f, model, options: undefined }) };
    case 'mesh': return { task, res: await ctx.call(v, v.faceMesh, { frame: f, model, options: undefined }) };
    case 'iris': return { task, res: await ctx.call(v, v.iris, { frame: f, model, options: undefined }) };
    case 'hands': return { task, res: await ctx.call(v, v.hands, { frame: f, model, options: undefined }) };
    case 'pose': return { task, res: await ctx.call(v, v.pose, { frame: f, model, options: undefined }) };
    case 'holistic': return { task, res: await ctx.call(v, v.holistic, { frame: f, options: undefined }) };
    case 'segment': return { task, res: await ctx.call(v, v.segment, { frame: f, model, options: undefined }) };
  }
}

/** The result a Track response carries, or undefined for a frame without one. */
export function trackResult(task: TaskName, r: TrackResponse): VisionResult | undefined {
  const res = r[TASKS[task].trackField];
  return res === undefined ? undefined : ({ task, res } as VisionResult);
}

export function resultJSON(r: VisionResult): unknown {
  return TASKS[r.task].toJSON(r.res);
}

const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;
const ms = (t: { inferenceMs: number } | undefined): string => (t ? `, ${t.inferenceMs.toFixed(1)} ms inference` : '');

/** A few readable lines about a result. */
export function summary(r: VisionResult): string {
  switch (r.task) {
    case 'faces': return [`${r.res.faces.length} face(s)${ms(r.res.timing)}`, ...r.res.faces.map((f, i) =>
      `  face ${i + 1}: score ${pct(f.score)}, box x=${f.box?.xMin.toFixed(3)} y=${f.box?.yMin.toFixed(3)} w=${f.box?.width.toFixed(3)} h=${f.box?.height.toFixed(3)}`)].join('\n');
    case 'mesh': return [`${r.res.faces.length} face mesh(es)${ms(r.res.timing)}`, ...r.res.faces.map((f, i) =>
      `  face ${i + 1}: ${f.landmarks.length} landmarks, presence ${pct(f.presence)}`)].join('\n');
    case 'iris': return [`${r.res.faces.length} face(s) with irises${ms(r.res.timing)}`, ...r.res.faces.map((f, i) =>
      `  face ${i + 1}: gaze yaw ${f.gaze?.yawDegrees.toFixed(1)}°, pitch ${f.gaze?.pitchDegrees.toFixed(1)}°; iris diameter left ${f.leftEye?.irisDiameter.toFixed(4)}, right ${f.rightEye?.irisDiameter.toFixed(4)}`)].join('\n');
    case 'hands': return [`${r.res.hands.length} hand(s)${ms(r.res.timing)}`, ...r.res.hands.map((h, i) =>
      `  hand ${i + 1}: ${h.handedness?.name ?? '?'} (${pct(h.handedness?.score ?? 0)}), gesture ${h.gesture?.name || 'None'} (${pct(h.gesture?.score ?? 0)})`)].join('\n');
    case 'pose': return [`${r.res.poses.length} pose(s)${ms(r.res.timing)}`, ...r.res.poses.map((p, i) =>
      `  pose ${i + 1}: score ${pct(p.score)}, ${p.landmarks.length} landmarks; angles ${Object.entries(p.jointAngles).sort().map(([k, v]) => `${k} ${v.toFixed(0)}°`).join(', ')}`)].join('\n');
    case 'holistic': return [`holistic${ms(r.res.timing)}: pose ${r.res.pose ? 'yes' : 'no'}, face ${r.res.face ? `${r.res.face.landmarks.length} landmarks` : 'no'}, ` +
      `left hand ${r.res.leftHand ? 'yes' : 'no'}, right hand ${r.res.rightHand ? 'yes' : 'no'}`].join('\n');
    case 'segment': {
      const m = r.res.mask;
      const person = m ? m.data.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0) / Math.max(1, m.data.length) : 0;
      return `mask ${m?.width ?? 0}×${m?.height ?? 0}, person ${pct(person)} of the image${ms(r.res.timing)}`;
    }
  }
}
