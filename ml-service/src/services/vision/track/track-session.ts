// State of one Track stream: the options in force, one runner per task (built on first use and
// attached to its models so unloading them disposes it), a decode buffer reused across frames and
// the clock that fills each result's Timing.
import { randomUUID } from 'node:crypto';
import { TabagentError, invalidArgument, type Logger, type ModelRoles, type ResolvedRegion } from '@tabagent/common';
import { TrackOptions, TrackTask, type TrackRequest, type TrackResponse } from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../../runtime/loaded-models.js';
import { BufferPool } from '../../../vision/image/buffer-pool.js';
import { decodeFrame } from '../frame-input.js';
import { readSharedFrame } from '../shared-frame.js';
import { withModels } from '../models.js';
import { RunClock, timingOf } from '../stage-clock.js';
import { handsRunner, holisticRunner, poseRunner, segmentRunner } from './body-runners.js';
import { facesRunner, meshRunner } from './face-runners.js';
import { objectsRunner } from './object-runner.js';
import { TRACK_RESULT_KEYS, type RunnerContext, type TaskRunner } from './runner.js';

/** Tasks a stream opened for `first` can also run with the models it was given. */
function compatible(first: TrackTask, task: TrackTask): boolean {
  if (task === first) return true;
  if (task === TrackTask.TRACK_TASK_FACES) return first === TrackTask.TRACK_TASK_FACE_MESH || first === TrackTask.TRACK_TASK_IRIS;
  return task === TrackTask.TRACK_TASK_FACE_MESH && first === TrackTask.TRACK_TASK_IRIS;
}

function taskName(task: TrackTask): string {
  return TrackTask[task] ?? String(task);
}

export class TrackSession {
  readonly #loadedModels: LoadedModels;
  readonly #roles: ModelRoles;
  readonly #id = randomUUID();
  readonly #clock = new RunClock();
  readonly #buffers = new BufferPool();
  readonly #runners = new Map<TrackTask, TaskRunner>();
  #options: TrackOptions = TrackOptions.fromPartial({});
  #optionsKey = '';
  #firstTask: TrackTask | undefined;
  #disposed = false;

  constructor(loadedModels: LoadedModels, roles: ModelRoles, private readonly log?: Logger, private readonly regions: readonly ResolvedRegion[] = []) {
    this.#loadedModels = loadedModels;
    this.#roles = roles;
  }

  /** Runs one frame and builds its response (without dropped timestamps). */
  async process(req: TrackRequest): Promise<TrackResponse> {
    const arrived = performance.now();
    const task = req.task;
    if (TrackTask[task] === undefined || task === TrackTask.TRACK_TASK_UNSPECIFIED || task === TrackTask.UNRECOGNIZED) {
      throw invalidArgument('task', `must be set to a TrackTask, got ${task}`);
    }
    this.#firstTask ??= task;
    if (!compatible(this.#firstTask, task)) {
      throw invalidArgument('task', `this stream was opened for ${taskName(this.#firstTask)} and has no models for ${taskName(task)}; open a new stream`);
    }
    if (req.options !== undefined) await this.#setOptions(req.options);
    const runner = this.#runner(task);
    return withModels(runner.models, async () => {
      // A shared-memory frame is read into a buffer the stream reuses (read when processed: frames
      // dropped as stale are never read).
      const frame = readSharedFrame(req.frame, this.regions, this.#buffers);
      const decoded = await decodeFrame(frame, this.#buffers);
      this.#clock.reset();
      const out = await runner.run({ image: decoded.image, timestampUs: req.timestampUs, rawFormat: decoded.rawFormat });
      const timing = timingOf(arrived, decoded.decodeMs, this.#clock);
      for (const key of TRACK_RESULT_KEYS) {
        const message = out.result[key];
        if (message) message.timing = timing;
      }
      return { timestampUs: req.timestampUs, task, droppedTimestampsUs: [], status: '', detectorRan: out.detectorRan, ...out.result };
    });
  }

  /** Disposes every runner and detaches it from its models. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#disposeRunners();
    this.#buffers.clear();
  }

  async #setOptions(options: TrackOptions): Promise<void> {
    const key = JSON.stringify(TrackOptions.toJSON(options));
    if (key === this.#optionsKey) return;
    this.#options = options;
    this.#optionsKey = key;
    await this.#disposeRunners();
  }

  #runner(task: TrackTask): TaskRunner {
    if (this.#disposed) throw new TabagentError('TA_ERR_CANCELLED', 'the stream has ended');
    const existing = this.#runners.get(task);
    if (existing) return existing;
    const ctx: RunnerContext = { loadedModels: this.#loadedModels, roles: this.#roles, options: this.#options, clock: this.#clock, ...(this.log ? { log: this.log } : {}) };
    const runner = this.#build(task, ctx);
    this.#runners.set(task, runner);
    const key = this.#attachmentKey(task);
    const detach = { dispose: () => this.#dropRunner(task, runner) };
    for (const m of runner.models) m.handle.attachments.set(key, detach);
    return runner;
  }

  #build(task: TrackTask, ctx: RunnerContext): TaskRunner {
    switch (task) {
      case TrackTask.TRACK_TASK_FACES: return facesRunner(ctx);
      case TrackTask.TRACK_TASK_FACE_MESH: return meshRunner(ctx, false);
      case TrackTask.TRACK_TASK_IRIS: return meshRunner(ctx, true);
      case TrackTask.TRACK_TASK_HANDS: return handsRunner(ctx);
      case TrackTask.TRACK_TASK_POSE: return poseRunner(ctx);
      case TrackTask.TRACK_TASK_SEGMENT: return segmentRunner(ctx);
      case TrackTask.TRACK_TASK_HOLISTIC: return holisticRunner(ctx);
      case TrackTask.TRACK_TASK_OBJECTS: return objectsRunner(ctx);
      default:
        throw new TabagentError('TA_ERR_UNIMPLEMENTED', `tabagent.v1.Vision.Track task ${taskName(task)} is not implemented in this build`);
    }
  }

  #attachmentKey(task: TrackTask): string {
    return `track:${this.#id}:${task}`;
  }

  /** A model of the runner was unloaded (or the stream ended): dispose the runner, detach it everywhere. */
  async #dropRunner(task: TrackTask, runner: TaskRunner): Promise<void> {
    if (this.#runners.get(task) === runner) this.#runners.delete(task);
    const key = this.#attachmentKey(task);
    for (const m of runner.models) m.handle.attachments.delete(key);
    await runner.dispose();
  }

  async #disposeRunners(): Promise<void> {
    for (const [task, runner] of [...this.#runners]) await this.#dropRunner(task, runner);
  }
}
