// Unit tests of the exposition parser the metrics e2e relies on: families and types, escaped label
// values, special values, histogram series checked for cumulative buckets and +Inf = _count, and the
// malformed inputs it must refuse (the metrics e2e parses prom-client's real output with it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Scrape, parseExposition } from './prom-text.js';

describe('Prometheus text parser', () => {
  it('reads families, escaped labels, special values and timestamps', () => {
    const s = new Scrape([
      '# HELP a_total Things.\n# TYPE a_total counter',
      'a_total{path="C:\\\\x",q="say \\"hi\\"\\nbye"} 3 1700000000000',
      'a_total{path="",q=",}"} 1.5e3',
      '# TYPE g gauge', 'g NaN', 'g{x="1"} +Inf', '# a comment', '',
    ].join('\n'));
    assert.equal(s.type('a_total'), 'counter');
    assert.equal(s.families.get('a_total')?.help, 'Things.');
    assert.equal(s.value('a_total', { path: 'C:\\x' }), 3);
    assert.equal(s.samples('a_total', { path: 'C:\\x' })[0]?.labels['q'], 'say "hi"\nbye');
    assert.equal(s.value('a_total', { q: ',}' }), 1500);
    assert.ok(Number.isNaN(s.samples('g', {}).find((x) => !('x' in x.labels))?.value));
    assert.equal(s.value('g', { x: '1' }), Infinity);
    assert.equal(s.value('missing'), 0);
    assert.throws(() => s.value('a_total'), /matches 2 samples/);
  });

  it('refuses untyped samples, duplicate series, bad values and broken histograms', () => {
    assert.throws(() => parseExposition('x 1'), /no TYPE line/);
    assert.throws(() => parseExposition('# TYPE x gauge\nx 1\nx 2'), /twice/);
    assert.throws(() => parseExposition('# TYPE x gauge\nx one'), /bad sample value/);
    assert.throws(() => parseExposition('# TYPE x gauge\nx{a="1} 1'), /unterminated|expected/);
    assert.throws(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1'), /below the one before/);
    assert.throws(() => parseExposition('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3'), /\+Inf bucket 2 != _count 3/);
    assert.throws(() => parseExposition('# TYPE h histogram\nh 3'), /no TYPE line/);
  });
});
