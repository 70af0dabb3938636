// From an HTTP vision request to the gRPC request of its task (options by their camelCase gRPC
// names, segmentation effects in their oneof), and from a gRPC refusal back to the HTTP parameter
// at fault: the child names gRPC fields ("options.min_score: ..." → min_score, "frame.encoded: ..."
// → the field that carried the image).
import { status } from '@grpc/grpc-js';
import { isServiceError } from '@tabagent/common';
import { badParam } from '../core/errors.js';
import type { ImageRequest } from './image-body.js';
import type { VisionTask } from './tasks.js';

type OptionValue = string | number | boolean;

const camel = (name: string): string => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Segmentation options that select the effect (at most one). */
const EFFECTS = ['blur_radius', 'background_color', 'background_image'] as const;

/** The gRPC request (a plain object for protobufjs) of one HTTP request; `png` asks for a PNG effect image. */
export function grpcRequest(task: VisionTask, input: ImageRequest, opts: ReadonlyMap<string, OptionValue>, png: boolean): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const effect: Record<string, unknown> = {};
  for (const [name, v] of opts) {
    if (name === 'model') continue;
    if (name === 'complexity') options['complexity'] = `POSE_MODEL_${String(v).toUpperCase()}`;
    else if (name === 'output_encoding') options['outputEncoding'] = `IMAGE_ENCODING_${String(v).toUpperCase()}`;
    else if ((EFFECTS as readonly string[]).includes(name)) effect[camel(name)] = v;
    else options[camel(name)] = v;
  }
  if (input.background !== undefined) {
    if (task.name !== 'segment') throw badParam('background_image', `only segment takes a background image, not ${task.name}`);
    effect['backgroundImage'] = { encoded: input.background };
  }
  const effects = EFFECTS.filter((e) => opts.has(e) || (e === 'background_image' && input.background !== undefined));
  if (effects.length > 1) throw badParam(effects[1]!, `choose one effect of ${EFFECTS.join(', ')}; got ${effects.join(' and ')}`);
  if (effects.length === 1) options['effect'] = effect;
  if (png && effects.length === 1) {
    if (opts.get('output_encoding') === 'jpeg') throw badParam('output_encoding', 'jpeg contradicts Accept: image/png');
    options['outputEncoding'] = 'IMAGE_ENCODING_PNG';
  }
  const model = opts.get('model');
  return { frame: { encoded: input.image }, ...(typeof model === 'string' ? { model } : {}), options };
}

/** The HTTP parameter a gRPC field path stands for. */
export function httpParam(field: string, imageParam: string): string {
  if (field === 'frame' || field.startsWith('frame.') || field.startsWith('frame[')) return imageParam;
  if (field.startsWith('options.effect.background_image')) return 'background_image';
  const rest = field.replace(/^options\.(effect\.)?/, '');
  return rest.split(/[.[]/)[0] || field;
}

/** A gRPC INVALID_ARGUMENT refusal renamed to the HTTP parameter; any other error as it is. */
export function renameRefusal(err: unknown, imageParam: string): unknown {
  if (!isServiceError(err) || err.code !== status.INVALID_ARGUMENT) return err;
  const m = /^([\w.[\]]+): ([\s\S]*)$/.exec(err.details);
  if (m?.[1] === undefined || m[2] === undefined) return err;
  return badParam(httpParam(m[1], imageParam), m[2]);
}
