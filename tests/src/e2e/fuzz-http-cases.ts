// What the HTTP fuzz suite sends: the routes, the fields of each body with the request they sit in,
// the bad values (as JSON text, so 1e400 and 18446744073709551616 reach the server as written),
// path-like ids, and the multipart parts whose combinations make missing and repeated parts.
import { readFileSync } from 'node:fs';
import { testData, testImage } from '../support/paths.js';
import type { Part } from './fuzz-http-support.js';

export const LLM = 'karpathy/stories260K';
export const EMBEDDER = 'google/universal-sentence-encoder-lite';
export const WHISPER = 'openai/whisper-tiny';
export const TASKS = ['faces', 'mesh', 'iris', 'hands', 'pose', 'holistic', 'segment'] as const;
export const POST_ROUTES = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/audio/transcriptions', ...TASKS.map((t) => `/v1/vision/${t}`)];
export const GET_ROUTES = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/v1/models', `/v1/models/${LLM}`];

export const PORTRAIT = readFileSync(testImage('portrait.jpg'));
export const FIST_PNG = readFileSync(testImage('asl_fist_frame000.png'));
export const WAV = readFileSync(testData('speech/quick-brown-fox.wav'));

/** Values of the wrong type or out of range, as JSON text. */
export const BAD_JSON_VALUES = [
  '"NaN"', '"Infinity"', '"-Infinity"', '-1', '-0.5', '0', '2.5', '1e400', '-1e400', '1e300', '99999999999', '4294967296',
  '18446744073709551616', 'true', '[]', '{}', '[1,"a"]', '"abc"', '""', 'null', `"${'x'.repeat(5000)}"`,
];
/** The same as query or form strings. */
export const BAD_STRINGS = ['NaN', 'Infinity', '-Infinity', '-1', '-0.5', '2.5', '1e400', '99999999999', '18446744073709551616', 'abc', '', '0x10', 'true', '[]', '%00', '\u0000'];

/** A valid body per route, without the field that is then set to a bad value. */
export const GENERATION_FIELDS = [
  'model', 'messages', 'prompt', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'seed', 'stop', 'n', 'best_of', 'echo',
  'stream', 'stream_options', 'logprobs', 'top_logprobs', 'response_format', 'num_ctx', 'tools', 'tool_choice', 'user',
];
export const EMBEDDING_FIELDS = ['model', 'input', 'encoding_format', 'dimensions', 'user'];
export const TRANSCRIPTION_FIELDS = ['model', 'language', 'prompt', 'response_format', 'temperature'];
/** Vision options per task (what each route knows), plus one it does not. */
export const VISION_OPTIONS: Readonly<Record<(typeof TASKS)[number], readonly string[]>> = {
  faces: ['model', 'max_faces', 'min_score'], mesh: ['model', 'max_faces', 'min_score', 'refine_landmarks'], iris: ['model', 'max_faces'],
  hands: ['model', 'max_hands', 'min_score', 'selfie', 'lite'], pose: ['model', 'complexity', 'segmentation', 'min_score'],
  holistic: ['refine_face_landmarks', 'complexity'], segment: ['model', 'model_size_mask', 'landscape', 'blur_radius', 'background_color', 'output_encoding'],
};

/** The body of one generation route with `field` set to `raw` (JSON text), everything else valid and cheap. */
export function generationBody(route: string, field: string, raw: string): string {
  const chat = route.endsWith('/chat/completions');
  const base: Record<string, unknown> = { model: LLM, max_tokens: 2, temperature: 0, ...(chat ? { messages: [{ role: 'user', content: 'Hi' }] } : { prompt: 'Once' }) };
  delete base[field];
  if (field === 'max_completion_tokens') delete base['max_tokens'];
  return withField(base, field, raw);
}

/** `base` as JSON with one more field written as raw JSON text. */
export function withField(base: Record<string, unknown>, field: string, raw: string): string {
  const text = JSON.stringify(base);
  return `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(field)}:${raw}}`;
}

/** Model ids a path-walking or confused client might send. */
export const PATH_LIKE = [
  '../../etc/passwd', '/etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e/etc/passwd', 'mediapipe/../../../etc/shadow', 'a\u0000b', '%00',
  'C:\\Windows\\win.ini', 'file:///etc/passwd', '~/.ssh/id_rsa', '....//....//etc/passwd', `${LLM}/../../../etc/passwd`, `${LLM}\u0000`,
  '%c0%ae%c0%ae/etc/passwd', 'karpathy/stories260K/../../x',
];

/** Raw request paths that try to leave the routes (sent unnormalised). */
export const TRAVERSAL_PATHS = [
  '/v1/models/../../etc/passwd', '/v1/models/%2e%2e/%2e%2e/etc/passwd', '/v1/models/..%2f..%2fetc%2fpasswd', '/v1/models/%00', '/v1/models/a%00b',
  '/v1/models/%ff', '/v1/models/%c0%ae%c0%ae/etc/passwd', '/v1/models/....//....//etc/passwd', '/v1/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
  '//etc/passwd', '/openapi.json/../../etc/passwd', '/metrics%00', '/healthz/..', '/v1/models/%2e%2e%5c%2e%2e%5cetc%5cpasswd', '/v1/models/%',
  // Regression: the id was decoded twice, so a literal % (%25) was a 500 and %252e%252e a "..".
  '/v1/models/%25', '/v1/models/a%25zz', '/v1/models/%252e%252e%252fetc%252fpasswd',
];

/** Multipart parts a vision request may carry (faces): the image, a repeat, a wrong file name, options. */
export const VISION_PARTS: ReadonlyArray<Part> = [
  { name: 'file', filename: 'a.jpg', type: 'image/jpeg', data: PORTRAIT },
  { name: 'background_image', filename: 'b.jpg', type: 'image/jpeg', data: PORTRAIT },
  { name: 'image', filename: 'c.jpg', type: 'image/jpeg', data: PORTRAIT },
  { name: 'max_faces', data: '1' },
  { name: 'min_score', data: '0.5' },
  { name: 'bogus', data: '1' },
];
/** The same for a transcription. */
export const TRANSCRIPTION_PARTS: ReadonlyArray<Part> = [
  { name: 'file', filename: 'a.wav', type: 'audio/wav', data: WAV },
  { name: 'model', data: WHISPER },
  { name: 'language', data: 'en' },
  { name: 'response_format', data: 'text' },
];

/** Content types no route takes as they are sent. */
export const WRONG_TYPES = [
  'text/plain', 'application/xml', 'image/gif', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=',
  `multipart/form-data; boundary=${'b'.repeat(300)}`, 'application/json; charset=utf-16', 'audio/wav', 'video/mp4', 'garbage', '*/*', 'application/jsonx',
];
