import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tally, cleanRetryable, unaryOutcome } from './outcome.js';
import type { Sample } from '../types.js';

const fail = (code: string, more: Partial<Sample> = {}): Sample => ({ startMs: 0, endMs: 1, ok: false, code, ...more });

describe('what the soak counts as a lost unary request', () => {
  it('a clean refusal (status + TA_ERR code + retry advice) is refused, not lost', () => {
    assert.equal(unaryOutcome(fail('UNAVAILABLE', { errorCode: 'TA_ERR_CHILD_UNAVAILABLE', retryAfterMs: 500 })), 'refused');
    assert.equal(unaryOutcome(fail('RESOURCE_EXHAUSTED', { errorCode: 'TA_ERR_RESOURCE_EXHAUSTED', retryAfterMs: 100 })), 'refused');
    assert.equal(unaryOutcome(fail('HTTP 503', { retryAfterMs: 1000 })), 'refused');
    assert.equal(unaryOutcome(fail('HTTP 429', { retryAfterMs: 1000 })), 'refused');
  });

  it('a transport error, a deadline, a wrong answer or an HTTP error without retry advice is lost', () => {
    assert.equal(unaryOutcome(fail('UNAVAILABLE')), 'lost'); // the child's connection dropped and was not replayed
    assert.equal(unaryOutcome(fail('UNAVAILABLE', { errorCode: 'TA_ERR_CHILD_UNAVAILABLE' })), 'lost'); // no retry advice
    assert.equal(unaryOutcome(fail('CANCELLED', { retryAfterMs: 1 })), 'lost');
    assert.equal(unaryOutcome(fail('DEADLINE_EXCEEDED', { errorCode: 'TA_ERR_DEADLINE_EXCEEDED', retryAfterMs: 1 })), 'lost');
    assert.equal(unaryOutcome(fail('INTERNAL', { errorCode: 'TA_ERR_INTERNAL' })), 'lost');
    assert.equal(unaryOutcome(fail('WRONG_ANSWER')), 'lost');
    assert.equal(unaryOutcome(fail('HTTP 500')), 'lost');
    assert.equal(unaryOutcome(fail('HTTP 503')), 'lost');
    assert.equal(unaryOutcome(fail('FETCH ECONNRESET')), 'lost');
    assert.equal(cleanRetryable(fail('UNAVAILABLE', { errorCode: 'TA_ERR_CHILD_UNAVAILABLE', retryAfterMs: Number.NaN })), false);
  });

  it('the tally counts every call by workload and code, but "lost" only for replay-safe unary calls', () => {
    const t = new Tally();
    t.add('embed', true, { startMs: 0, endMs: 1, ok: true, code: 'OK' });
    t.add('embed', true, fail('UNAVAILABLE'));
    t.add('embed', true, fail('UNAVAILABLE', { errorCode: 'TA_ERR_CHILD_UNAVAILABLE', retryAfterMs: 500 }));
    t.add('generate', false, fail('UNAVAILABLE', { errorCode: 'TA_ERR_CHILD_UNAVAILABLE', retryAfterMs: 1000 }));
    t.add('generate', false, fail('INTERNAL'));
    assert.deepEqual(Object.fromEntries(t.codes().get('embed')!), { OK: 1, UNAVAILABLE: 1, 'UNAVAILABLE TA_ERR_CHILD_UNAVAILABLE': 1 });
    const u = t.unary();
    assert.equal(u.calls, 3);
    assert.equal(u.refused, 1);
    assert.deepEqual(u.lost.map((l) => [l.workload, l.sample.code]), [['embed', 'UNAVAILABLE']]);
    assert.deepEqual(t.totalsByCode(), { OK: 1, UNAVAILABLE: 1, 'UNAVAILABLE TA_ERR_CHILD_UNAVAILABLE': 2, INTERNAL: 1 });
  });
});
