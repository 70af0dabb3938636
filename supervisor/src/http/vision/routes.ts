// POST /v1/vision/{task}: one route per task, each a call of the public gRPC Vision method's handler
// in process (so model loading, per-model queues and the retry on a lost ML child are the gRPC API's).
// The encoded image goes through untouched (the ML child decodes it); the answer is the gRPC
// response in the proto3 JSON mapping, or for segment with Accept: image/png the mask (greyscale
// PNG written here) or the effect image (PNG from the child).
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type protobuf from 'protobufjs';
import { httpRefusal } from '../core/errors.js';
import type { UnaryInvoker } from '../core/in-process.js';
import { IMAGE_FIELDS, MAX_BODY_BYTES, RAW_IMAGE_TYPES, bodyTooLarge, readImageRequest, tooLarge } from './image-body.js';
import { greyPng } from './png.js';
import { VisionMessages } from './proto-json.js';
import { grpcRequest, renameRefusal } from './request.js';
import { routeSchema, routeDocs, unknownTaskSchema } from './schemas.js';
import { VISION_TASKS, readOptions, type VisionTask } from './tasks.js';

const TIMEOUT_MS = 120_000;

/** Whether the client asked for a PNG (Accept lists image/png). */
function wantsPng(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((t) => t.split(';')[0]?.trim().toLowerCase() === 'image/png');
}

/** The Vision service's method key of a gRPC method name ("DetectFaces" → "detectFaces"). */
const methodKey = (method: string): string => method.charAt(0).toLowerCase() + method.slice(1);

/** The PNG answer of segment: the effect image when one was applied, else the mask. */
function pngAnswer(reply: FastifyReply, res: protobuf.Message): FastifyReply {
  const r = res as unknown as { mask?: { data: Uint8Array; width: number; height: number }; image?: { data: Uint8Array } };
  const png = r.image ? Buffer.from(r.image.data) : r.mask ? greyPng(r.mask.data, r.mask.width, r.mask.height) : undefined;
  if (png === undefined) throw new Error('the segmentation answer has neither a mask nor an image');
  return reply.type('image/png').send(png);
}

async function handle(vision: UnaryInvoker, messages: VisionMessages, task: VisionTask, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const input = await readImageRequest(req);
  const opts = readOptions(task, [req.query as Record<string, unknown>, input.fields], IMAGE_FIELDS);
  const png = task.name === 'segment' && wantsPng(req);
  const bytes = messages.encode(task.request, grpcRequest(task, input, opts, png));
  const abort = new AbortController();
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) abort.abort(); });
  const answer = await vision(methodKey(task.method), bytes, new Date(Date.now() + TIMEOUT_MS), abort.signal).catch((err: unknown) => {
    throw renameRefusal(err, input.imageParam);
  });
  const res = messages.decode(task.response, answer);
  if (png) return pngAnswer(reply, res);
  return messages.toJson(task.response, res);
}

/** Registers the vision routes (in their own scope: raw image bodies and multipart parse only here). */
export async function visionRoutes(app: FastifyInstance, vision: UnaryInvoker): Promise<void> {
  const messages = new VisionMessages();
  await app.register(async (scope) => {
    scope.addContentTypeParser([...RAW_IMAGE_TYPES], { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
    // The app may parse multipart already (for another route family); then this scope inherits it.
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart);
    // Rethrown, the error reaches the app's handler (OpenAI's shape); a body over the limit names its field.
    scope.setErrorHandler((err, req) => {
      throw bodyTooLarge(err) ? tooLarge(req.headers['content-type']?.startsWith('application/json') ? 'image' : 'body') : err;
    });
    for (const task of VISION_TASKS) {
      scope.post(`/v1/vision/${task.name}`, {
        bodyLimit: MAX_BODY_BYTES, schema: routeSchema(task, messages),
        config: { swaggerTransform: ({ schema, url }) => ({ schema: routeDocs(task, schema), url }) },
      }, (req, reply) => handle(vision, messages, task, req, reply));
    }
    scope.post('/v1/vision/:task', { schema: unknownTaskSchema() }, async (req) => {
      const { task } = req.params as { task: string };
      throw httpRefusal(404, 'task', `task: no vision task '${task}'; the tasks are ${VISION_TASKS.map((t) => t.name).join(', ')}`, 'TA_ERR_UNIMPLEMENTED');
    });
  });
}
