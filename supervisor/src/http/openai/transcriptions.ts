// POST /v1/audio/transcriptions: a multipart upload (`file`, `model`, `language`, `prompt`,
// `response_format`, `temperature`) through the gRPC Transcribe handler in process, and so its queue, forwarding and retry
// when the child is lost. Multipart parsing is registered in this route's own scope.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AudioEncoding, TranscribeRequest, TranscribeResponse } from '@tabagent/protos/v1/text';
import { badParam } from '../core/errors.js';
import { multipartRefusal } from '../core/multipart-errors.js';
import type { UnaryInvoker } from '../core/in-process.js';
import { TRANSCRIPT_FORMATS, formatTranscript, needsTimestamps, type TranscriptFormat } from './transcript-formats.js';

const TIMEOUT_MS = 300_000;
/** Largest upload accepted (OpenAI's limit). */
const MAX_FILE_BYTES = 25 * 1024 * 1024;

interface TranscriptionBody {
  file: unknown; model: string; language?: string; prompt?: string; response_format?: TranscriptFormat; temperature?: number;
}

const segment = { type: 'object', properties: { id: { type: 'integer' }, start: { type: 'number' }, end: { type: 'number' }, text: { type: 'string' }, temperature: { type: 'number' } } };

/** Request and response schemas (multipart fields arrive as strings and are coerced). */
export const transcriptionSchema = {
  consumes: ['multipart/form-data'],
  body: {
    type: 'object', required: ['file', 'model'],
    properties: {
      file: { type: 'object', description: 'The audio: a WAV file (any rate, resampled to 16 kHz) or raw 16-bit mono PCM at 16 kHz' },
      model: { type: 'string', description: 'A speech-to-text model id or alias, e.g. openai/whisper-tiny' },
      language: { type: 'string', description: 'ISO-639-1 code or English name of the spoken language; empty = detect' },
      prompt: { type: 'string', description: 'Not supported by the Whisper runtime: a non-empty prompt is refused' },
      response_format: { type: 'string', enum: [...TRANSCRIPT_FORMATS], default: 'json' },
      temperature: { type: 'number', minimum: 0, maximum: 1, default: 0 },
    },
  },
  response: {
    200: {
      description: 'json and verbose_json answer this object; text, srt and vtt answer text',
      type: 'object',
      properties: { task: { type: 'string' }, language: { type: 'string' }, duration: { type: 'number' }, text: { type: 'string' }, segments: { type: 'array', items: segment } },
    },
  },
} as const;

/** Registers /v1/audio/transcriptions. */
export async function transcriptionRoutes(app: FastifyInstance, text: UnaryInvoker): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 16 } });
    // The body is parsed before the handler runs: errors until then are the parser's (a malformed or oversized body).
    const handling = new WeakSet<object>();
    const limits = { file: 'file', maxFileMiB: MAX_FILE_BYTES / 1024 / 1024, filesHint: 'send exactly one file part, named "file"' };
    scope.setErrorHandler((err, req) => {
      throw (handling.has(req.raw) ? undefined : multipartRefusal(err, limits)) ?? err;
    });
    scope.post('/v1/audio/transcriptions', { schema: transcriptionSchema }, async (req, reply) => {
      handling.add(req.raw);
      const b = req.body as TranscriptionBody;
      if (!Buffer.isBuffer(b.file)) throw badParam('file', 'must be an uploaded file (multipart/form-data)');
      if (b.file.length === 0) throw badParam('file', 'is empty');
      if (b.prompt) throw badParam('prompt', 'is not supported: the Whisper runtime does not condition on a prompt');
      const format = b.response_format ?? 'json';
      const temperature = b.temperature ?? 0;
      const language = b.language ?? '';
      const abort = new AbortController();
      reply.raw.once('close', () => { if (!reply.raw.writableFinished) abort.abort(); });
      const request = TranscribeRequest.encode({
        model: b.model, audio: b.file, encoding: AudioEncoding.AUDIO_ENCODING_UNSPECIFIED, sampleRate: 0, language,
        timestamps: needsTimestamps(format), temperature,
      }).finish();
      const res = TranscribeResponse.decode(await text('transcribe', Buffer.from(request.buffer, request.byteOffset, request.byteLength), new Date(Date.now() + TIMEOUT_MS), abort.signal));
      const out = formatTranscript(res, format, language, temperature);
      return reply.type(out.contentType).send(out.body);
    });
  });
}
