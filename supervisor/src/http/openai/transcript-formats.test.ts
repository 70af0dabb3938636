// Unit tests of the transcription response formats: clock strings, SubRip and WebVTT cues, verbose_json.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, formatTranscript } from './transcript-formats.js';

const R = {
  text: 'Hello world. The fox.', durationSeconds: 2.34,
  segments: [{ startSeconds: 0, endSeconds: 1.2, text: ' Hello world.' }, { startSeconds: 1.2, endSeconds: 2.34, text: ' The fox.' }],
};

describe('transcript formats', () => {
  it('writes hours, minutes, seconds and milliseconds', () => {
    assert.equal(clock(0, ','), '00:00:00,000');
    assert.equal(clock(3723.4567, '.'), '01:02:03.457');
    assert.equal(clock(59.9996, ','), '00:01:00,000');
  });

  it('numbers SubRip cues and starts WebVTT with its header', () => {
    assert.equal(formatTranscript(R, 'srt', 'en', 0).body, '1\n00:00:00,000 --> 00:00:01,200\nHello world.\n\n2\n00:00:01,200 --> 00:00:02,340\nThe fox.\n\n');
    assert.equal(formatTranscript(R, 'vtt', 'en', 0).body, 'WEBVTT\n\n00:00:00.000 --> 00:00:01.200\nHello world.\n\n00:00:01.200 --> 00:00:02.340\nThe fox.\n\n');
    const odd = formatTranscript({ ...R, segments: [{ startSeconds: 0, endSeconds: 1, text: 'a --> b\n\nc' }] }, 'vtt', '', 0);
    assert.equal(odd.body, 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na -> b\nc\n\n');
  });

  it('gives json, text and verbose_json with the segments', () => {
    assert.deepEqual(formatTranscript(R, 'json', 'en', 0), { contentType: 'application/json', body: { text: R.text } });
    assert.equal(formatTranscript(R, 'text', 'en', 0).body, `${R.text}\n`);
    const v = formatTranscript(R, 'verbose_json', 'en', 0.2).body as { duration: number; segments: Array<{ id: number; start: number; end: number; temperature: number }> };
    assert.equal(v.duration, 2.34);
    assert.deepEqual(v.segments.map((s) => [s.id, s.start, s.end, s.temperature]), [[0, 0, 1.2, 0.2], [1, 1.2, 2.34, 0.2]]);
  });
});
