// VIDEO-mode face tracker: the detector seeds tracks; afterwards each face's ROI comes from the previous
// frame's landmarks (MediaPipe face_landmark_front). The detector runs again when nothing is tracked or a
// track was just lost, and otherwise either whenever fewer than maxFaces are tracked (MediaPipe, the
// default) or every `redetectInterval` frames. One tracker per stream.

import type * as ort from 'onnxruntime-node';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../../vision/image/convert.js';
import { invalidArgument } from '../../vision/errors.js';
import { SerialFrames } from '../../vision/shared/serial-frames.js';
import { FaceMesh } from './face-mesh.js';
import { faceRoiFromDetection, faceRoiFromLandmarks } from '../../vision/face-mesh/roi.js';
import { IrisLandmarker } from '../../vision/iris/iris-landmarker.js';
import { emptyTimings, type FaceTrackingResult, type Frame, type NormalizedRect, type RgbImage, type StageTimings, type TrackedFace } from '../../vision/types.js';
import { rectIou } from '../../vision/shared/rect-iou.js';

export interface FaceTrackerSessions {
  detector: ort.InferenceSession;
  mesh: ort.InferenceSession;
  /** When given, every tracked face also gets iris landmarks and gaze. */
  iris?: ort.InferenceSession;
}

export interface FaceTrackerOptions {
  maxFaces?: number;
  minDetectionScore?: number;
  minPresence?: number;
  refine?: boolean;
  /**
   * 0 (default): like MediaPipe, detect on every frame while fewer than maxFaces are tracked.
   * N > 0: while something is tracked, look for new faces only every N frames.
   */
  redetectInterval?: number;
  /** A detection overlapping a tracked ROI by more than this IoU is the same face (default 0.5). */
  associationIou?: number;
  limits?: FrameLimits;
}

interface Track {
  id: number;
  roi: NormalizedRect;
}

export class FaceTracker {
  private readonly mesh: FaceMesh;
  private readonly iris: IrisLandmarker | undefined;
  private readonly frames: SerialFrames;
  private readonly maxFaces: number;
  private readonly redetectInterval: number;
  private readonly associationIou: number;
  private tracks: Track[] = [];
  private nextId = 1;
  private frameIndex = 0;
  private lastDetectFrame = Number.NEGATIVE_INFINITY;
  private lostTrack = false;
  /** Frames processed and detector invocations since creation or reset(). */
  readonly stats = { frames: 0, detectorRuns: 0 };
  timings: StageTimings = emptyTimings();

  constructor(sessions: FaceTrackerSessions, options: FaceTrackerOptions = {}) {
    this.maxFaces = options.maxFaces ?? 1;
    this.redetectInterval = options.redetectInterval ?? 0;
    this.associationIou = options.associationIou ?? 0.5;
    const limits: FrameLimits = options.limits ?? DEFAULT_FRAME_LIMITS;
    this.frames = new SerialFrames('face tracker', limits);
    if (!Number.isInteger(this.redetectInterval) || this.redetectInterval < 0) {
      throw invalidArgument('options.redetectInterval', 'must be a non-negative integer');
    }
    const meshOptions: ConstructorParameters<typeof FaceMesh>[1] = { maxFaces: this.maxFaces, limits };
    if (options.minDetectionScore !== undefined) meshOptions.minDetectionScore = options.minDetectionScore;
    if (options.minPresence !== undefined) meshOptions.minPresence = options.minPresence;
    if (options.refine !== undefined) meshOptions.refine = options.refine;
    this.mesh = new FaceMesh({ detector: sessions.detector, mesh: sessions.mesh }, meshOptions);
    this.iris = sessions.iris === undefined ? undefined : new IrisLandmarker(sessions.iris);
  }

  process(frame: Frame): Promise<FaceTrackingResult> {
    return this.frames.decode(frame, (image) => this.step(image), (ms) => {
      this.timings.decodeMs = ms;
    });
  }

  runRgb(image: RgbImage): Promise<FaceTrackingResult> {
    return this.frames.run(() => this.step(image));
  }

  /** Forgets all tracks (next frame runs the detector); ids keep increasing. */
  reset(): void {
    this.tracks = [];
    this.lastDetectFrame = Number.NEGATIVE_INFINITY;
    this.lostTrack = false;
  }

  /** Idempotent; sessions stay owned by the caller. */
  dispose(): void {
    if (!this.frames.dispose()) return;
    this.tracks = [];
    this.mesh.dispose();
    this.iris?.dispose();
  }

  private async step(image: RgbImage): Promise<FaceTrackingResult> {
    const timings = emptyTimings();
    const frameIndex = this.frameIndex++;
    this.stats.frames++;
    const room = this.tracks.length < this.maxFaces;
    const due = this.redetectInterval > 0 ? frameIndex - this.lastDetectFrame >= this.redetectInterval : room;
    const detectorRan = this.tracks.length === 0 || this.lostTrack || (room && due);
    const candidates: Track[] = [...this.tracks];
    if (detectorRan) {
      this.stats.detectorRuns++;
      this.lastDetectFrame = frameIndex;
      const detections = await this.mesh.detector.runRgb(image);
      addTimings(timings, this.mesh.detector.timings);
      for (const d of detections) {
        if (candidates.length >= this.maxFaces) break;
        const roi = faceRoiFromDetection(d, image);
        // Tracked ROIs win over detections of the same face (AssociationNormRectCalculator priority).
        if (candidates.some((c) => rectIou(c.roi, roi, image) > this.associationIou)) continue;
        candidates.push({ id: this.nextId++, roi });
      }
    }
    const faces: TrackedFace[] = [];
    const next: Track[] = [];
    for (const track of candidates) {
      const mesh = await this.mesh.meshFromRoi(image, track.roi, timings);
      if (mesh === null) continue;
      const roi = faceRoiFromLandmarks(mesh.landmarks, image);
      if (next.some((n) => rectIou(n.roi, roi, image) > this.associationIou)) continue; // two tracks converged
      next.push({ id: track.id, roi });
      const face: TrackedFace = { ...mesh, id: track.id };
      if (this.iris !== undefined) {
        face.iris = await this.iris.process(image, mesh.landmarks);
        addTimings(timings, this.iris.timings);
      }
      faces.push(face);
    }
    this.lostTrack = next.length < candidates.length;
    this.tracks = next;
    this.timings = timings;
    return { faces, detectorRan, frameIndex };
  }
}

function addTimings(into: StageTimings, add: StageTimings): void {
  into.preprocessMs += add.preprocessMs;
  into.modelMs += add.modelMs;
  into.postprocessMs += add.postprocessMs;
}
