// FileChunk fast encoder: byte-for-byte the generated protobuf encoding, for every field combination.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileChunk } from '@tabagent/protos/v1/model_files';
import { FramedFileChunk, encodeFileChunk } from './file-chunk-codec.js';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function generated(c: FileChunk): Buffer {
  return Buffer.from(FileChunk.encode(c).finish());
}

describe('FileChunk encoder', () => {
  const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
  const cases: Array<[string, FileChunk]> = [
    ['first chunk of a file', { offset: 0, data, totalSize: 123_456_789, sha256: SHA }],
    ['a later chunk', { offset: 1 << 20, data, totalSize: 0, sha256: '' }],
    ['offsets past 2^32', { offset: 2 ** 33 + 5, data, totalSize: 2 ** 40 + 1, sha256: SHA }],
    ['an empty file', { offset: 0, data: Buffer.alloc(0), totalSize: 0, sha256: SHA }],
    ['the end marker at an offset', { offset: 1000, data: Buffer.alloc(0), totalSize: 1000, sha256: SHA }],
    ['a one-byte chunk', { offset: 127, data: Buffer.from([9]), totalSize: 128, sha256: '' }],
  ];
  for (const [name, chunk] of cases) {
    it(`matches the generated encoding: ${name}`, () => {
      const want = generated(chunk);
      assert.deepEqual(encodeFileChunk(chunk), want);
      const framed = new FramedFileChunk(chunk);
      assert.equal(framed.byteLength, want.length);
      const target = Buffer.alloc(want.length + 5, 0xee);
      assert.equal(framed.copy(target, 5), want.length);
      assert.deepEqual(target.subarray(5), want);
      assert.deepEqual(target.subarray(0, 5), Buffer.alloc(5, 0xee));
      const back = FileChunk.decode(target.subarray(5));
      assert.deepEqual({ ...back, data: Buffer.from(back.data) }, chunk);
    });
  }

  it('encodes a full 1 MiB chunk with a 3-byte length varint', () => {
    const big = Buffer.alloc(1 << 20, 0x5a);
    const enc = encodeFileChunk({ offset: 0, data: big, totalSize: 0, sha256: '' });
    assert.equal(enc.length, 1 + 3 + (1 << 20));
    assert.deepEqual([...enc.subarray(0, 4)], [0x12, 0x80, 0x80, 0x40]);
  });
});
