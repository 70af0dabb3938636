// Unit tests of request audio decoding: WAV parsing, PCM, resampling and non-audio detection.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAudio, nonAudioReason } from './audio-input.js';
import { resample } from './resample.js';
import { encodeWav16, parseWav } from './wav.js';

const sine = (hz: number, rate: number, seconds: number, amp = 0.5): Float32Array =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Estimates the frequency of a sine from its upward zero crossings. */
function frequency(x: Float32Array, rate: number): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 && x[i]! >= 0) n++;
  return n / (x.length / rate);
}

function wav(opts: { tag: number; channels: number; rate: number; bits: number; data: Uint8Array; declared?: number; extensible?: boolean }): Uint8Array {
  const fmtSize = opts.extensible ? 40 : 16;
  const out = new Uint8Array(12 + 8 + fmtSize + 8 + opts.data.length);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string): void => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  put(8, 'WAVEfmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, opts.extensible ? 0xfffe : opts.tag, true);
  v.setUint16(22, opts.channels, true);
  v.setUint32(24, opts.rate, true);
  v.setUint32(28, (opts.rate * opts.channels * opts.bits) / 8, true);
  v.setUint16(32, (opts.channels * opts.bits) / 8, true);
  v.setUint16(34, opts.bits, true);
  if (opts.extensible) v.setUint16(44, opts.tag, true);
  const data = 20 + fmtSize;
  put(data, 'data');
  v.setUint32(data + 4, opts.declared ?? opts.data.length, true);
  out.set(opts.data, data + 8);
  return out;
}

test('16-bit stereo WAV is averaged to mono; a streamed size runs to the end of the file', () => {
  const pcm = new Int16Array([16384, 0, -32768, -32768, 100, 300]);
  const data = new Uint8Array(pcm.buffer);
  const a = parseWav(wav({ tag: 1, channels: 2, rate: 8000, bits: 16, data }));
  assert.equal(a.sampleRate, 8000);
  assert.deepEqual([...a.samples], [0.25, -1, 200 / 32768]);
  const streamed = parseWav(wav({ tag: 1, channels: 2, rate: 8000, bits: 16, data, declared: 0xffffffff }));
  assert.equal(streamed.samples.length, 3);
});

test('float32 WAVE_FORMAT_EXTENSIBLE and the 16-bit writer round-trip', () => {
  const f = new Float32Array([0.5, -0.25, 0.125]);
  const a = parseWav(wav({ tag: 3, channels: 1, rate: 44100, bits: 32, data: new Uint8Array(f.buffer), extensible: true }));
  assert.deepEqual([...a.samples], [0.5, -0.25, 0.125]);
  const b = parseWav(encodeWav16(Float32Array.from([0.5, -0.5]), 16000));
  assert.equal(b.sampleRate, 16000);
  assert.ok(Math.abs(b.samples[0]! - 0.5) < 1e-4 && Math.abs(b.samples[1]! + 0.5) < 1e-4);
});

test('resampling keeps a tone at its frequency and a constant constant', () => {
  const down = resample(sine(440, 44100, 0.5), 44100, 16000);
  assert.equal(down.length, 8000);
  assert.ok(Math.abs(frequency(down, 16000) - 440) < 5, `440 Hz became ${frequency(down, 16000)}`);
  const up = resample(sine(300, 8000, 0.5), 8000, 16000);
  assert.ok(Math.abs(frequency(up, 16000) - 300) < 5);
  const dc = resample(new Float32Array(1000).fill(0.3), 22050, 16000);
  assert.ok(dc.every((x) => Math.abs(x - 0.3) < 1e-5));
});

test('downsampling removes content above the new Nyquist frequency instead of aliasing it', () => {
  // 10 kHz is above 8 kHz (16 kHz Nyquist): it must nearly vanish, not fold to 6 kHz.
  const out = resample(sine(10_000, 48000, 0.2), 48000, 16000);
  const rms = Math.sqrt(out.slice(200, -200).reduce((s, x) => s + x * x, 0) / (out.length - 400));
  assert.ok(rms < 0.02, `rms ${rms}`);
});

test('decodeAudio: WAV by header, raw PCM with its rate, errors naming the field', () => {
  const w = decodeAudio(encodeWav16(sine(200, 8000, 1), 8000), 'auto', 0);
  assert.equal(w.sourceRate, 8000);
  assert.equal(w.samples.length, 16000);
  assert.ok(Math.abs(w.durationSeconds - 1) < 1e-9);
  const raw = new Int16Array(32000).fill(1000);
  const r = decodeAudio(new Uint8Array(raw.buffer), 's16le', 32000);
  assert.equal(r.samples.length, 16000);
  assert.ok(Math.abs(r.samples[8000]! - 1000 / 32768) < 1e-5);
  const f = decodeAudio(new Uint8Array(new Float32Array([0.1, 0.2]).buffer), 'f32le', 0);
  assert.equal(f.durationSeconds, 2 / 16000);
  assert.throws(() => decodeAudio(new Uint8Array(0), 'auto', 0), { code: 'SPEECH_INVALID_ARGUMENT', field: 'audio' });
  assert.throws(() => decodeAudio(new Uint8Array(3), 's16le', 0), { field: 'audio', message: /even number of bytes/ });
  assert.throws(() => decodeAudio(new Uint8Array(4), 's16le', 50), { field: 'sample_rate' });
  assert.throws(() => decodeAudio(new Uint8Array(new Float32Array([NaN]).buffer), 'f32le', 0), { field: 'audio' });
  assert.throws(() => decodeAudio(new Uint8Array([1, 2, 3, 4]), 'wav', 0), { field: 'audio', message: /not a RIFF\/WAVE/ });
});

test('non-audio bytes are recognised', () => {
  assert.match(nonAudioReason(new TextEncoder().encode('{"json": "is not a waveform at all"}'))!, /text/);
  assert.match(nonAudioReason(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))!, /PNG/);
  assert.match(nonAudioReason(Uint8Array.from([0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70]))!, /MP4/);
  assert.equal(nonAudioReason(new Uint8Array(new Int16Array([0, 12000, -3000, 200, 32000, -32000, 5, 9]).buffer)), undefined);
});
