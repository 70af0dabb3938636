import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { FFMPEG_ENV, resolveFfmpeg } from './ffmpeg.js';

describe('resolveFfmpeg', () => {
  it('uses the packaged static build by default, and it runs', () => {
    const bin = resolveFfmpeg(undefined, {});
    assert.equal(bin.source, 'package');
    const out = execFileSync(bin.path, ['-hide_banner', '-decoders'], { encoding: 'utf8' });
    assert.match(out, /\bh264\b/, 'the packaged ffmpeg decodes H.264');
  });

  it('prefers an explicit path, then the environment variable', () => {
    assert.deepEqual(resolveFfmpeg('/opt/ff/bin/ffmpeg', { [FFMPEG_ENV]: 'ffmpeg' }), { path: '/opt/ff/bin/ffmpeg', source: 'flag' });
    assert.deepEqual(resolveFfmpeg(undefined, { [FFMPEG_ENV]: 'ffmpeg' }), { path: 'ffmpeg', source: 'env' });
    assert.equal(resolveFfmpeg('', { [FFMPEG_ENV]: '' }).source, 'package');
  });
});
