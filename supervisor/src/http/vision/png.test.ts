// Unit tests of the greyscale PNG writer: the layout the PNG spec requires (signature, IHDR fields,
// chunk CRCs) and pixels that inflate back to the input, row by row.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { greyPng } from './png.js';

/** The chunks of a PNG file: type, data, and whether the CRC matches. */
function chunks(png: Buffer): Array<{ type: string; data: Buffer; crcOk: boolean }> {
  const out = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    const crcOk = png.readUInt32BE(at + 8 + len) === crc32(png.subarray(at + 4, at + 8 + len));
    out.push({ type, data, crcOk });
    at += 12 + len;
  }
  return out;
}

describe('greyPng', () => {
  it('writes IHDR, IDAT and IEND with valid CRCs and scanlines that inflate to the mask', () => {
    const width = 5;
    const height = 3;
    const mask = Uint8Array.from({ length: width * height }, (_v, i) => (i * 37) % 256);
    const png = greyPng(mask, width, height);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cs = chunks(png);
    assert.deepEqual(cs.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
    assert.ok(cs.every((c) => c.crcOk));
    const ihdr = cs[0]!.data;
    assert.deepEqual([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]], [width, height, 8, 0, 0, 0, 0]);
    const raw = inflateSync(cs[1]!.data);
    assert.equal(raw.length, (width + 1) * height);
    for (let y = 0; y < height; y++) {
      assert.equal(raw[y * (width + 1)], 0, 'filter type 0');
      assert.deepEqual([...raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1))], [...mask.subarray(y * width, (y + 1) * width)]);
    }
  });

  it('refuses a buffer that does not match the size', () => {
    assert.throws(() => greyPng(new Uint8Array(5), 2, 3), RangeError);
    assert.throws(() => greyPng(new Uint8Array(0), 0, 0), RangeError);
  });
});
