// Errors crossing the thread boundary come back as the converter's own class with its code and
// details; any other error keeps its name, code and the request it answered.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Llama2cError } from '../llama2c/errors.js';
import { TfjsConvertError } from '../tfjs/core/errors.js';
import { deserializeError, serializeError } from './errors.js';

const roundTrip = (err: unknown, request?: number): Error => deserializeError(structuredClone(serializeError(err, request)));

test('converter errors come back as their own class with code and details', () => {
  const tfjs = roundTrip(new TfjsConvertError('TFJS_UNSUPPORTED_OP', 'unsupported TFJS op "X" at node "n"', { op: 'X', node: 'n' }));
  assert.ok(tfjs instanceof TfjsConvertError);
  assert.equal(tfjs.code, 'TFJS_UNSUPPORTED_OP');
  assert.deepEqual(tfjs.details, { op: 'X', node: 'n' });
  const llama = roundTrip(new Llama2cError('LLAMA2C_INVALID_FORMAT', 'bad header', { field: 'dim' }));
  assert.ok(llama instanceof Llama2cError);
  assert.equal(llama.code, 'LLAMA2C_INVALID_FORMAT');
  assert.equal(llama.message, 'bad header');
  assert.match(llama.stack ?? '', /bad header/);
});

test('other errors keep name, code, details and the file request they answered', () => {
  const store = Object.assign(new Error('no file'), { name: 'StoreError', code: 'STORE_NOT_FOUND', details: { path: 'a' } });
  const back = roundTrip(store, 7) as Error & { code?: string; details?: unknown; readRequest?: number };
  assert.equal(back.name, 'StoreError');
  assert.equal(back.code, 'STORE_NOT_FOUND');
  assert.deepEqual(back.details, { path: 'a' });
  assert.equal(back.readRequest, 7);
  assert.equal(serializeError(back).readRequest, 7, 'a rethrown read error still names its request');
  const odd = roundTrip('a thrown string');
  assert.equal(odd.message, 'a thrown string');
  assert.equal((odd as { code?: unknown }).code, undefined);
  const forged = roundTrip(Object.assign(new Error('x'), { name: 'TfjsConvertError', code: 'NOT_A_CODE' }));
  assert.ok(!(forged instanceof TfjsConvertError));
  assert.equal((forged as { code?: unknown }).code, 'NOT_A_CODE');
});
