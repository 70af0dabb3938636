// Parses RIFF/WAVE files (PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE) into mono float samples.

import { invalidAudio } from './errors.js';

/** Decoded audio: mono samples in [-1, 1] at `sampleRate`. */
export interface PcmAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Whether the bytes start with a RIFF/WAVE header. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
}

interface Format {
  readonly tag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bits: number;
}

function readFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw invalidAudio('audio', `WAV fmt chunk is ${size} bytes, expected at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bits = view.getUint16(at + 14, true);
  // WAVE_FORMAT_EXTENSIBLE keeps the real format tag in the first two bytes of its sub-format GUID.
  if (tag === FORMAT_EXTENSIBLE && size >= 26) tag = view.getUint16(at + 24, true);
  return { tag, channels, sampleRate, bits };
}

/** Reads one interleaved sample as a float in [-1, 1]. */
function sampleReader(view: DataView, f: Format): (at: number) => number {
  if (f.tag === FORMAT_FLOAT && f.bits === 32) return (at) => view.getFloat32(at, true);
  if (f.tag === FORMAT_FLOAT && f.bits === 64) return (at) => view.getFloat64(at, true);
  if (f.tag === FORMAT_PCM) {
    if (f.bits === 8) return (at) => (view.getUint8(at) - 128) / 128;
    if (f.bits === 16) return (at) => view.getInt16(at, true) / 32768;
    if (f.bits === 24) return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    if (f.bits === 32) return (at) => view.getInt32(at, true) / 2147483648;
  }
  throw invalidAudio('audio', `WAV format ${f.tag} with ${f.bits}-bit samples is not supported (PCM 8/16/24/32 or float 32/64)`);
}

/** Decodes a WAV file, averaging channels to mono. Throws SPEECH_INVALID_ARGUMENT naming `audio`. */
export function parseWav(bytes: Uint8Array): PcmAudio {
  if (!isWav(bytes)) throw invalidAudio('audio', 'is not a RIFF/WAVE file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: Format | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    const declared = view.getUint32(at + 4, true);
    const body = at + 8;
    // Streamed WAVs (e.g. written to a pipe) declare 0 or 0xFFFFFFFF: the data runs to the end.
    const size = Math.min(declared, bytes.length - body);
    if (id === 'fmt ') format = readFormat(view, body, size);
    if (id === 'data') {
      if (!format) throw invalidAudio('audio', 'WAV data chunk comes before its fmt chunk');
      return decodeFrames(view, body, declared === 0 ? bytes.length - body : size, format);
    }
    at = body + size + (size % 2);
  }
  throw invalidAudio('audio', format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

function decodeFrames(view: DataView, start: number, size: number, f: Format): PcmAudio {
  if (f.channels < 1) throw invalidAudio('audio', 'WAV file declares 0 channels');
  if (f.sampleRate < 1000 || f.sampleRate > 384_000) throw invalidAudio('audio', `WAV sample rate ${f.sampleRate} Hz is out of range`);
  const read = sampleReader(view, f);
  const bytesPerSample = f.bits / 8;
  const frameBytes = bytesPerSample * f.channels;
  const frames = Math.floor(size / frameBytes);
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    const frame = start + i * frameBytes;
    for (let c = 0; c < f.channels; c++) sum += read(frame + c * bytesPerSample);
    samples[i] = sum / f.channels;
  }
  return { samples, sampleRate: f.sampleRate };
}

/** Writes mono 16-bit PCM as a WAV file (tests and tools). */
export function encodeWav16(samples: Float32Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  put(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(s * 32767))), true));
  return out;
}
