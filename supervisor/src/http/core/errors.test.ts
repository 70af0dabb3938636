// Unit tests of the HTTP error mapping: status per code, OpenAI's type, the param named by an HTTP
// refusal, a gRPC refusal's message or a fastify validation error, and retry-after.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, RETRY_AFTER_KEY, TabagentError } from '@tabagent/common';
import { badParam, openAiParam, toHttpError } from './errors.js';

/** A gRPC error as the loopback client receives it. */
function grpcError(code: status, details: string, taCode: string, retryMs?: number): ServiceError {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, taCode);
  if (retryMs !== undefined) metadata.set(RETRY_AFTER_KEY, String(retryMs));
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

describe('toHttpError', () => {
  it('names the OpenAI field of an HTTP refusal', () => {
    const e = toHttpError(badParam('n', 'only n = 1 is supported'));
    assert.equal(e.status, 400);
    assert.deepEqual(e.body, { error: { message: 'n: only n = 1 is supported', type: 'invalid_request_error', param: 'n', code: 'TA_ERR_INVALID_ARGUMENT' } });
    assert.equal(e.headers[ERROR_CODE_KEY], 'TA_ERR_INVALID_ARGUMENT');
  });

  it('maps gRPC refusals to their status and the OpenAI name of the gRPC field', () => {
    const long = toHttpError(grpcError(status.INVALID_ARGUMENT, 'sampling.max_new_tokens: exceeds the context', 'TA_ERR_INVALID_ARGUMENT'));
    assert.equal(long.status, 400);
    assert.equal(long.body.error.param, 'max_tokens');
    const unknown = toHttpError(grpcError(status.NOT_FOUND, "model 'x/y' is not in the catalog", 'TA_ERR_MODEL_NOT_FOUND'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.type, 'not_found_error');
    assert.equal(unknown.body.error.param, null);
    const full = toHttpError(grpcError(status.RESOURCE_EXHAUSTED, 'queue of x is full', 'TA_ERR_RESOURCE_EXHAUSTED', 2500));
    assert.equal(full.status, 429);
    assert.equal(full.body.error.type, 'rate_limit_error');
    assert.equal(full.headers['retry-after'], '3');
    const down = toHttpError(grpcError(status.UNAVAILABLE, 'the ML process is restarting', 'TA_ERR_CHILD_UNAVAILABLE'));
    assert.equal(down.status, 503);
    assert.equal(down.headers['retry-after'], '1');
  });

  it('reads the property of a fastify validation error and keeps fastify 4xx statuses', () => {
    const missing = Object.assign(new Error("body must have required property 'messages'"), {
      statusCode: 400, validation: [{ instancePath: '', params: { missingProperty: 'messages' } }],
    });
    assert.equal(toHttpError(missing).body.error.param, 'messages');
    const typed = Object.assign(new Error('body/temperature must be number'), { statusCode: 400, validation: [{ instancePath: '/temperature', params: {} }] });
    assert.equal(toHttpError(typed).body.error.param, 'temperature');
    const nested = Object.assign(new Error("body/response_format must have required property 'type'"), {
      statusCode: 400, validation: [{ instancePath: '/response_format', params: { missingProperty: 'type' } }],
    });
    assert.equal(toHttpError(nested).body.error.param, 'response_format');
    const media = toHttpError(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }));
    assert.equal(media.status, 415);
    assert.equal(media.body.error.type, 'invalid_request_error');
    const large = toHttpError(Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }));
    assert.deepEqual([large.status, large.body.error.param], [413, 'body']);
  });

  it('turns a bug into a 500 server_error and a TabagentError into its code', () => {
    const bug = toHttpError(new TypeError('x is undefined'));
    assert.equal(bug.status, 500);
    assert.equal(bug.body.error.type, 'server_error');
    assert.match(bug.body.error.message, /^internal error: x is undefined/);
    const auth = toHttpError(new TabagentError('TA_ERR_UNAUTHENTICATED', 'missing token'));
    assert.equal(auth.status, 401);
    assert.equal(auth.body.error.type, 'authentication_error');
  });
});

describe('openAiParam', () => {
  it('maps gRPC field paths to OpenAI parameters', () => {
    assert.equal(openAiParam('sampling.stop[2]'), 'stop');
    assert.equal(openAiParam('messages[1].role'), 'messages');
    assert.equal(openAiParam('texts'), 'input');
    assert.equal(openAiParam('sampling.topP'), 'top_p');
    assert.equal(openAiParam('frame.width'), null);
  });
});
