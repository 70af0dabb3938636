// `tabagent generate|embed|transcribe`: the Text service. Generation streams deltas to stdout;
// transcription converts any audio ffmpeg reads to 16 kHz mono s16le first.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { resolveFfmpeg } from '@tabagent/common/ffmpeg';
import { AudioEncoding, type ChatMessage, type GenerateResponse, type GenerateStats } from '@tabagent/protos/v1/text';
import type { Context } from './context.js';
import { UsageError } from './exit.js';

export const DEFAULT_TEXT_MODEL = 'karpathy/stories260K';
export const DEFAULT_EMBED_MODEL = 'google/universal-sentence-encoder-lite';
export const DEFAULT_SPEECH_MODEL = 'openai/whisper-tiny';

/** Sampling flags, already checked by their parsers (numbers.ts). */
export interface SamplingFlags {
  maxTokens?: number;
  temperature?: number;
  seed?: number;
}

/** SamplingOptions from flags: greedy unless a temperature is given. */
export function sampling(f: SamplingFlags): { maxNewTokens: number; temperature: number; topK: number; stop: string[]; seed?: number } {
  return {
    maxNewTokens: f.maxTokens ?? 0, temperature: f.temperature ?? 0, topK: 0, stop: [],
    ...(f.seed !== undefined ? { seed: f.seed } : {}),
  };
}

/** Streams a Generate or Chat reply into `write`; resolves with the final stats (and the text). */
export function streamReply(
  stream: ClientReadableStream<GenerateResponse>,
  write: (t: string) => void,
): { done: Promise<{ text: string; stats: GenerateStats | undefined; cancelled: boolean }>; cancel(): void } {
  let text = '';
  let stats: GenerateStats | undefined;
  let cancelled = false;
  const done = new Promise<{ text: string; stats: GenerateStats | undefined; cancelled: boolean }>((resolve, reject) => {
    stream.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        text += r.delta.text;
        write(r.delta.text);
      } else if (r.done) stats = r.done;
    });
    stream.on('error', (e: ServiceError) => (cancelled && e.code === 1 ? resolve({ text, stats, cancelled }) : reject(e)));
    stream.on('end', () => resolve({ text, stats, cancelled }));
  });
  return { done, cancel: () => { cancelled = true; stream.cancel(); } };
}

export async function generate(ctx: Context, prompt: string, model: string, f: SamplingFlags, write: (t: string) => void): Promise<GenerateStats | undefined> {
  const stream = ctx.text.generate({ model, prompt, sampling: sampling(f) }, ctx.metadata());
  return (await streamReply(stream, write).done).stats;
}

/** One Chat call on the conversation so far. */
export function chatTurn(ctx: Context, model: string, messages: ChatMessage[], f: SamplingFlags, write: (t: string) => void): ReturnType<typeof streamReply> {
  return streamReply(ctx.text.chat({ model, messages, sampling: sampling(f) }, ctx.metadata()), write);
}

export async function embed(ctx: Context, model: string, texts: string[]): Promise<number[][]> {
  const res = await ctx.call(ctx.text, ctx.text.embed, { model, texts, pooling: 0 });
  return res.embeddings.map((e) => e.values);
}

/**
 * Any audio file → 16 kHz mono signed 16-bit little-endian PCM, with ffmpeg. The resampler runs with
 * a long filter and a cutoff just below Nyquist: Whisper tiny turned ffmpeg's default 22.05 → 16 kHz
 * output of the test phrase into an unrelated sentence.
 */
export function toPcm16k(ffmpeg: string, file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', file, '-vn', '-ac', '1', '-af', 'aresample=16000:filter_size=64:cutoff=0.97', '-f', 's16le', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => chunks.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg cannot read ${file}: ${err.trim()}`))));
  });
}

export async function transcribe(ctx: Context, model: string, file: string, language: string): Promise<string> {
  // A missing file is a bad argument (exit 2); a file ffmpeg cannot read stays a failure of the tool (exit 1).
  await access(file, constants.R_OK).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code ?? e.message}`, 'tabagent transcribe FILE [--model ID] [--language CODE]');
  });
  const pcm = await toPcm16k(resolveFfmpeg(ctx.options.ffmpeg || undefined).path, file);
  const res = await ctx.call(ctx.text, ctx.text.transcribe, { model, audio: pcm, encoding: AudioEncoding.AUDIO_ENCODING_PCM_S16LE, sampleRate: 16000, language, timestamps: false });
  return res.text;
}
