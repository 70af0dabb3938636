// The x-tabagent-shm metadata entry: regions survive the round trip (any path characters), and a
// malformed entry yields no regions rather than an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRegions, encodeRegions } from './shared-memory.js';

test('regions round-trip through printable ASCII', () => {
  const regions = [{ name: 'cam', path: '/dev/shm/cam 0,é=%', byteSize: 921_600 }, { name: 'b', path: '/x', byteSize: 0 }];
  const raw = encodeRegions(regions);
  assert.match(raw, /^[\x21-\x7e]+$/);
  assert.deepEqual(decodeRegions(raw), regions);
});

test('malformed entries decode to nothing', () => {
  assert.deepEqual(decodeRegions('%E0%A4%A'), []);
  assert.deepEqual(decodeRegions(encodeURIComponent('{"a":1}')), []);
  assert.deepEqual(decodeRegions(encodeURIComponent('[["a","/p",-1],["b",2,3],"c",["d","/q",4]]')), [{ name: 'd', path: '/q', byteSize: 4 }]);
});
