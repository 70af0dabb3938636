// Unit tests of the HTTP → gRPC translation of vision requests: option values read from strings or
// JSON by their kind, unknown options refused by name, the gRPC request (camelCase options, enum
// names, one segmentation effect), and gRPC field paths renamed to the HTTP parameter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { TabagentError } from '@tabagent/common';
import { httpRefusal, toHttpError } from '../core/errors.js';
import { grpcRequest, httpParam, renameRefusal } from './request.js';
import { readOption, readOptions, VISION_TASKS, type VisionTask } from './tasks.js';

const task = (name: string): VisionTask => VISION_TASKS.find((t) => t.name === name)!;
const image = { image: Buffer.from('jpeg'), imageParam: 'file' as const, fields: {} };

/** The field a refusal names. */
function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as TabagentError).field;
  }
  assert.fail('expected a refusal');
}

describe('readOption / readOptions', () => {
  it('reads strings of a query or form and JSON values alike', () => {
    assert.equal(readOption('max_faces', 'uint', '3'), 3);
    assert.equal(readOption('max_faces', 'uint', 3), 3);
    assert.equal(readOption('min_score', 'score', '0.25'), 0.25);
    assert.equal(readOption('selfie', 'bool', 'true'), true);
    assert.equal(readOption('selfie', 'bool', false), false);
    assert.equal(readOption('complexity', 'complexity', 'lite'), 'lite');
  });

  it('refuses bad values and unknown names, naming the option', () => {
    assert.equal(fieldOf(() => readOption('max_faces', 'uint', '-1')), 'max_faces');
    assert.equal(fieldOf(() => readOption('max_faces', 'uint', 1.5)), 'max_faces');
    assert.equal(fieldOf(() => readOption('min_score', 'score', 'high')), 'min_score');
    assert.equal(fieldOf(() => readOption('lite', 'bool', 'yes')), 'lite');
    assert.equal(fieldOf(() => readOption('output_encoding', 'encoding', 'gif')), 'output_encoding');
    assert.equal(fieldOf(() => readOptions(task('holistic'), [{ model: 'x' }], new Set())), 'model');
    assert.deepEqual([...readOptions(task('faces'), [{ max_faces: '1' }, { max_faces: 2, image: 'b64' }], new Set(['image']))], [['max_faces', 2]]);
  });
});

describe('grpcRequest', () => {
  it('puts options under their gRPC names and enums by name', () => {
    const opts = new Map<string, string | number | boolean>([['model', 'm/x'], ['complexity', 'heavy'], ['min_score', 0.4], ['segmentation', true]]);
    assert.deepEqual(grpcRequest(task('pose'), image, opts, false), {
      frame: { encoded: image.image }, model: 'm/x', options: { complexity: 'POSE_MODEL_HEAVY', minScore: 0.4, segmentation: true },
    });
  });

  it('builds one segmentation effect, PNG when asked by Accept, and refuses two', () => {
    const bg = { ...image, background: Buffer.from('png') };
    assert.deepEqual(grpcRequest(task('segment'), bg, new Map(), true).options, { effect: { backgroundImage: { encoded: bg.background } }, outputEncoding: 'IMAGE_ENCODING_PNG' });
    assert.deepEqual(grpcRequest(task('segment'), image, new Map([['blur_radius', 4]]), false).options, { effect: { blurRadius: 4 } });
    assert.equal(fieldOf(() => grpcRequest(task('segment'), bg, new Map([['background_color', 1]]), false)), 'background_image');
    assert.equal(fieldOf(() => grpcRequest(task('segment'), image, new Map<string, string | number>([['blur_radius', 4], ['output_encoding', 'jpeg']]), true)), 'output_encoding');
    assert.equal(fieldOf(() => grpcRequest(task('faces'), bg, new Map(), false)), 'background_image');
  });
});

describe('httpParam / renameRefusal', () => {
  it('maps gRPC field paths to HTTP parameters', () => {
    assert.equal(httpParam('frame.encoded', 'body'), 'body');
    assert.equal(httpParam('frame', 'image'), 'image');
    assert.equal(httpParam('options.min_score', 'file'), 'min_score');
    assert.equal(httpParam('options.effect.blur_radius', 'file'), 'blur_radius');
    assert.equal(httpParam('options.effect.background_image.encoded', 'file'), 'background_image');
    assert.equal(httpParam('model', 'file'), 'model');
  });

  it('renames an INVALID_ARGUMENT refusal and leaves other errors alone', () => {
    const grpc = (code: status, details: string): ServiceError => Object.assign(new Error(details), { code, details, metadata: new Metadata() });
    const renamed = renameRefusal(grpc(status.INVALID_ARGUMENT, 'options.max_hands: must be at most 10'), 'file') as TabagentError;
    assert.equal(renamed.field, 'max_hands');
    assert.equal(renamed.message, 'max_hands: must be at most 10');
    const notFound = grpc(status.NOT_FOUND, "model 'x' is not in the catalog");
    assert.equal(renameRefusal(notFound, 'file'), notFound);
  });
});

describe('httpRefusal', () => {
  it('keeps its status, names the field and carries its TA_ERR_* code', () => {
    const big = toHttpError(httpRefusal(413, 'file', 'file: too large'));
    assert.deepEqual([big.status, big.body.error.param, big.body.error.code, big.body.error.type], [413, 'file', 'TA_ERR_INVALID_ARGUMENT', 'invalid_request_error']);
    const task = toHttpError(httpRefusal(404, 'task', "task: no vision task 'x'", 'TA_ERR_UNIMPLEMENTED'));
    assert.deepEqual([task.status, task.body.error.param, task.body.error.code, task.body.error.type], [404, 'task', 'TA_ERR_UNIMPLEMENTED', 'not_found_error']);
    assert.equal(task.headers['x-tabagent-error-code'], 'TA_ERR_UNIMPLEMENTED');
  });
});
