// What a Track stream runs per task: a runner owns the stream's tracker (or pipeline) for one task,
// built on the call's models with sessions timed by the stream's clock.
import type { Logger, ModelRoles } from '@tabagent/common';
import type { TrackOptions, TrackResponse } from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../../runtime/loaded-models.js';
import type { RgbImage } from '../../../vision/types.js';
import type { VisionModel } from '../models.js';
import type { RunClock } from '../stage-clock.js';

/** The result fields of TrackResponse (a oneof): exactly one is set by a runner. */
export type TrackResultKey = 'faces' | 'faceMesh' | 'iris' | 'hands' | 'pose' | 'holistic' | 'segment' | 'objects';
export const TRACK_RESULT_KEYS: readonly TrackResultKey[] = ['faces', 'faceMesh', 'iris', 'hands', 'pose', 'holistic', 'segment', 'objects'];

/** One frame's output. */
export interface RunnerOutput {
  detectorRan: boolean;
  result: Pick<TrackResponse, TrackResultKey>;
}

/** A frame as the runner sees it. */
export interface RunnerFrame {
  image: RgbImage;
  timestampUs: number;
  /** Raw pixel layout of the input (segmentation effects keep it), undefined for JPEG/PNG. */
  rawFormat: number | undefined;
}

/** The tracker or pipeline of one task on one stream. */
export interface TaskRunner {
  /** Models it runs on (counted in flight per frame, and disposing any of them disposes the runner). */
  readonly models: readonly VisionModel[];
  run(frame: RunnerFrame): Promise<RunnerOutput>;
  dispose(): void | Promise<void>;
}

/** What building a runner needs. */
export interface RunnerContext {
  loadedModels: LoadedModels;
  roles: ModelRoles;
  options: TrackOptions;
  clock: RunClock;
  /** Where runners report what the client does not see (e.g. a fallback); optional in tests. */
  log?: Logger;
}

/**
 * TrackOptions.detect_every → the trackers' redetect interval. 0 keeps MediaPipe's behaviour: the
 * detector runs when nothing is tracked, a track was lost, or fewer than the maximum are tracked.
 */
export function redetectInterval(detectEvery: number): number {
  return detectEvery;
}
