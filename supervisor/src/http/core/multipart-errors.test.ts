// Unit tests of the multipart refusals: the plugin's limit errors and the parser's plain errors
// become 400/413 naming a field, while refusals made on purpose and gRPC errors pass through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { toHttpError } from './errors.js';
import { multipartRefusal } from './multipart-errors.js';

const LIMITS = { file: 'file', maxFileMiB: 25, filesHint: 'send exactly one file part, named "file"' };
const coded = (code: string, statusCode: number, message: string): Error => Object.assign(new Error(message), { code, statusCode });
const answer = (err: Error): { status: number; param: string | null; message: string } => {
  const refusal = multipartRefusal(err, LIMITS);
  assert.ok(refusal, `no refusal for ${err.message}`);
  const e = toHttpError(refusal);
  return { status: e.status, param: e.body.error.param, message: e.body.error.message };
};

describe('multipartRefusal', () => {
  it('a malformed body (no boundary, a part cut short) is 400 naming body, not a 500', () => {
    assert.deepEqual(answer(new Error('Multipart: Boundary not found')), { status: 400, param: 'body', message: 'body: malformed multipart/form-data body: Multipart: Boundary not found' });
    assert.equal(answer(new Error('Part terminated early due to unexpected end of multipart data')).status, 400);
    assert.equal(answer(new TypeError('The needle cannot have a length bigger than 256.')).param, 'body');
  });

  it('the plugin\'s limits: a file too large is 413 naming it, a repeated file part 400 naming it', () => {
    assert.deepEqual(answer(coded('FST_REQ_FILE_TOO_LARGE', 413, 'request file too large')), { status: 413, param: 'file', message: 'file: the file is larger than the 25 MiB limit' });
    assert.deepEqual(answer(coded('FST_FILES_LIMIT', 413, 'reach files limit')), { status: 400, param: 'file', message: 'file: send exactly one file part, named "file"' });
    assert.deepEqual(answer(coded('FST_FIELDS_LIMIT', 413, 'reach fields limit')), { status: 413, param: 'body', message: 'body: too many multipart fields' });
    assert.equal(answer(coded('FST_PROTO_VIOLATION', 400, 'prototype property is not allowed as field name')).status, 400);
  });

  it('leaves refusals made on purpose, validation errors and non-errors alone', () => {
    assert.equal(multipartRefusal(new TabagentError('TA_ERR_INVALID_ARGUMENT', 'prompt: no'), LIMITS), undefined);
    assert.equal(multipartRefusal(coded('FST_ERR_VALIDATION', 400, 'body must have required property \'model\''), LIMITS), undefined);
    assert.equal(multipartRefusal('a string', LIMITS), undefined);
  });
});
