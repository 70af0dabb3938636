// VIDEO-mode hand tracker (MediaPipe hand_landmark_tracking): palm detection seeds tracks; afterwards
// each hand's ROI comes from the previous frame's landmarks. The palm detector runs when nothing is
// tracked or a tracked hand was just lost, and otherwise either while fewer than maxHands are tracked
// (MediaPipe, redetectInterval 0) or every `redetectInterval` frames; while the frame has no hand it
// also looks at a zoomed-out view (PALM_SCALES, as in image mode) so a hand filling the frame is
// found. Landmarks are optionally smoothed with one-euro filters on the frame timestamps. One
// tracker per stream.

import type * as ort from 'onnxruntime-node';
import { resolveTrackingOptions, SerialTracker } from '../shared/serial-tracker.js';
import { LandmarksSmoother, SMOOTHING_PRESETS } from '../filters/landmarks-smoother.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../image/convert.js';
import { rectIou } from '../shared/rect-iou.js';
import { emptyTimings, type Landmark, type NormalizedRect, type RgbImage } from '../types.js';
import { HandLandmarkModel, type RawHandLandmarks } from './hand-landmarks.js';
import { checkBoolean } from '../options.js';
import { resolveHandOptions, type HandRequestOptions, type ResolvedHandOptions } from './hand-options.js';
import { buildHandResult, type HandResult } from './hand-result.js';
import { landmarksToHandRect } from './hand-roi.js';
import { searchHands, type HandSearchModels } from './hand-search.js';
import { PALM_SCALES, PalmDetector } from './palm-detector.js';

export interface HandTrackerSessions {
  palm: ort.InferenceSession;
  landmarks: ort.InferenceSession;
}

export interface HandTrackerOptions extends HandRequestOptions {
  /**
   * 0 (default): like MediaPipe, run the palm detector on every frame while fewer than maxHands
   * are tracked. N > 0: while anything is tracked, run it only every N frames.
   */
  redetectInterval?: number;
  /**
   * With redetectInterval 0: run the palm detector only when nothing is tracked or a track was just
   * lost, even while fewer than maxHands are tracked (cheaper; later hands are found only then). Default false.
   */
  detectOnlyWhenLost?: boolean;
  /** A palm whose ROI overlaps a tracked ROI by more than this IoU is the same hand (default 0.5). */
  associationIou?: number;
  /** One-euro smoothing of landmarks and world landmarks on the frame timestamps (default true). */
  smoothing?: boolean;
  /** Palm detection scales tried in order while the frame has no hand (default PALM_SCALES; [1]: the image only). */
  palmScales?: readonly number[];
  limits?: FrameLimits;
}

/** A hand in video mode: stable id while it stays tracked. */
export interface TrackedHand extends HandResult {
  id: number;
}

export interface HandTrackingResult {
  hands: TrackedHand[];
  /** Whether the palm detector ran on this frame. */
  detectorRan: boolean;
  frameIndex: number;
  /** The frame's timestamp (the caller's, or one synthesized at 30 fps when none was given). */
  timestampUs: number;
}

interface Track {
  id: number;
  roi: NormalizedRect;
  detectionScore: number;
  screen?: LandmarksSmoother;
  world?: LandmarksSmoother;
}

export class HandTracker extends SerialTracker<HandTrackingResult> {
  private readonly models: HandSearchModels;
  private readonly palmScales: readonly number[];
  private readonly opts: ResolvedHandOptions;
  private readonly redetectInterval: number;
  private readonly detectOnlyWhenLost: boolean;
  private readonly associationIou: number;
  private readonly smoothing: boolean;
  private tracks: Track[] = [];
  private lostTrack = false;

  /** Sessions stay owned by the caller. Throws VISION_INVALID_ARGUMENT naming a bad option. */
  constructor(sessions: HandTrackerSessions, options: HandTrackerOptions = {}) {
    const { redetectInterval, detectOnlyWhenLost, associationIou, smoothing, palmScales, limits, ...request } = options;
    super('hand tracker', limits ?? DEFAULT_FRAME_LIMITS);
    this.opts = resolveHandOptions(request);
    ({ redetectInterval: this.redetectInterval, associationIou: this.associationIou, smoothing: this.smoothing } =
      resolveTrackingOptions({ redetectInterval, associationIou, smoothing }));
    this.detectOnlyWhenLost = detectOnlyWhenLost === undefined ? false : checkBoolean(detectOnlyWhenLost, 'detectOnlyWhenLost');
    this.palmScales = palmScales ?? PALM_SCALES;
    this.models = { palm: new PalmDetector(sessions.palm, this.pool), landmarks: new HandLandmarkModel(sessions.landmarks, this.pool) };
  }

  protected forget(): void {
    this.tracks = [];
    this.lostTrack = false;
  }

  protected async step(image: RgbImage, timestampUs: number | undefined): Promise<HandTrackingResult> {
    const time = this.clock.next(timestampUs);
    const started = performance.now();
    const frameIndex = this.frameIndex++;
    this.stats.frames++;
    const detectorRan = this.shouldDetect(frameIndex);
    const hands: TrackedHand[] = [];
    const next: Track[] = [];
    const keep = (track: Track, raw: RawHandLandmarks): void => {
      const roi = landmarksToHandRect(raw.landmarks, image);
      if (next.some((n) => rectIou(n.roi, roi, image) > this.associationIou)) return; // two tracks converged
      const hand = buildHandResult(raw, track.roi, track.detectionScore, image, this.opts);
      if (this.smoothing) {
        track.screen ??= new LandmarksSmoother(SMOOTHING_PRESETS.landmarks);
        track.world ??= new LandmarksSmoother(SMOOTHING_PRESETS.world);
        hand.landmarks = track.screen.apply(hand.landmarks, time.smoothingUs, image);
        hand.worldLandmarks = track.world.apply(hand.worldLandmarks, time.smoothingUs);
      }
      next.push({ ...track, roi });
      hands.push({ ...hand, id: track.id });
    };
    const known: Landmark[][] = [];
    for (const track of this.tracks) {
      const raw = await this.models.landmarks.run(image, track.roi);
      if (raw.presence < this.opts.minPresenceConfidence) continue;
      known.push(raw.landmarks);
      keep(track, raw);
    }
    this.lostTrack = next.length < this.tracks.length;
    if (detectorRan) {
      this.stats.detectorRuns++;
      this.lastDetectFrame = frameIndex;
      const tracked = this.tracks.map((t) => t.roi);
      // Tracked ROIs win over palms of the same hand (AssociationNormRectCalculator priority), and
      // found hands repeating a tracked one are dropped (HandLandmarksDeduplicationCalculator).
      const found = await searchHands(this.models, image, this.opts, {
        scales: this.palmScales,
        known,
        skip: (roi) => tracked.some((t) => rectIou(t, roi, image) > this.associationIou),
        limit: this.opts.maxHands - next.length,
      });
      for (const h of found.hands) keep({ id: this.nextId++, roi: h.roi, detectionScore: h.palmScore }, h.raw);
    }
    this.tracks = next;
    this.timings = { ...emptyTimings(), modelMs: performance.now() - started };
    return { hands, detectorRan, frameIndex, timestampUs: time.timestampUs };
  }

  private shouldDetect(frameIndex: number): boolean {
    if (this.tracks.length === 0 || this.lostTrack) return true;
    if (this.redetectInterval === 0) return !this.detectOnlyWhenLost && this.tracks.length < this.opts.maxHands;
    return frameIndex - this.lastDetectFrame >= this.redetectInterval;
  }
}
