// @tabagent/cli as a library: the drawing and video pieces the demo and benchmarks reuse.
export { annotate, readRgb, writePng, type Rgb } from './draw/render.js';
export { overlaySvg, JOINT_LANDMARKS } from './draw/overlay.js';
export * from './draw/connections.js';
export { countFrames, probeSize } from './video/ffmpeg.js';
export { TASK_NAMES, type TaskName } from './vision-tasks.js';
