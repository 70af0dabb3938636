// The three ways a vision request carries its image: the raw bytes as the body (image/jpeg,
// image/png, application/octet-stream), multipart/form-data with a `file` part (options as form
// fields, a segmentation background as a `background_image` part), or JSON with the image in base64
// under `image` (options and `background_image` as fields). Query parameters add options to all three.
import type { FastifyRequest } from 'fastify';
import { TabagentError } from '@tabagent/common';
import { badParam, httpRefusal } from '../core/errors.js';
import { multipartRefusal } from '../core/multipart-errors.js';

/** Largest image accepted, in bytes (well inside the 64 MiB gRPC message limit). */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

/** Body limit of the vision routes: the image in base64 inside JSON, with room for the options. */
export const MAX_BODY_BYTES = Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 1024 * 1024;

/** Content types taken as the raw image. */
export const RAW_IMAGE_TYPES: readonly string[] = Object.freeze(['image/jpeg', 'image/png', 'application/octet-stream']);

/** What a request brought. */
export interface ImageRequest {
  image: Buffer;
  /** The request field that carried the image, named in errors about it. */
  imageParam: 'file' | 'image' | 'body';
  background?: Buffer;
  /** Option values by HTTP name, as sent. */
  fields: Record<string, unknown>;
}

/** Fields of a JSON body that are not options. */
export const IMAGE_FIELDS: ReadonlySet<string> = new Set(['image', 'file', 'background_image']);

function base64Field(param: string, v: unknown): Buffer {
  if (typeof v !== 'string' || v.length === 0 || !/^[A-Za-z0-9+/=\s]*$/.test(v)) throw badParam(param, 'must be a non-empty base64 string');
  return Buffer.from(v, 'base64');
}

function tooLarge(param: string): Error {
  return httpRefusal(413, param, `${param}: the image is larger than the ${MAX_IMAGE_BYTES / 1024 / 1024} MiB limit`);
}

/** Reads a multipart body: `file`, optional `background_image`, and the other parts as fields (each at most once). */
async function readMultipart(req: FastifyRequest): Promise<ImageRequest> {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, Buffer>();
  try {
    for await (const part of req.parts({ limits: { fileSize: MAX_IMAGE_BYTES, files: 2, fields: 32 } })) {
      if (files.has(part.fieldname) || Object.hasOwn(fields, part.fieldname)) {
        if (part.type === 'file') part.file.resume();
        throw badParam(part.fieldname, 'is given more than once');
      }
      if (part.type === 'file') {
        if (part.fieldname !== 'file' && part.fieldname !== 'background_image') {
          part.file.resume();
          throw badParam(part.fieldname, 'unknown file part; send the image as "file" (and a segmentation background as "background_image")');
        }
        const bytes = await part.toBuffer().catch((err: unknown) => {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(part.fieldname);
          throw err;
        });
        files.set(part.fieldname, bytes);
      } else {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    throw multipartRefusal(err, { file: 'file', maxFileMiB: MAX_IMAGE_BYTES / 1024 / 1024, filesHint: 'send one image as "file" (and, for segment, one "background_image")' }) ?? err;
  }
  const image = files.get('file');
  const background = files.get('background_image');
  if (image === undefined) throw badParam('file', 'a multipart request needs the image in a "file" part');
  return { image, imageParam: 'file', fields, ...(background ? { background } : {}) };
}

/** Reads the image and option fields of a request. */
export async function readImageRequest(req: FastifyRequest): Promise<ImageRequest> {
  if (req.isMultipart()) return readMultipart(req);
  const body = req.body;
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) throw badParam('body', 'the request body is empty; send the image bytes');
    if (body.length > MAX_IMAGE_BYTES) throw tooLarge('body');
    return { image: body, imageParam: 'body', fields: {} };
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const image = base64Field('image', b['image']);
    if (image.length > MAX_IMAGE_BYTES) throw tooLarge('image');
    const background = b['background_image'] === undefined ? undefined : base64Field('background_image', b['background_image']);
    return { image, imageParam: 'image', fields: b, ...(background ? { background } : {}) };
  }
  throw new TabagentError('TA_ERR_INVALID_ARGUMENT', `body: send the image as ${RAW_IMAGE_TYPES.join(', ')}, multipart/form-data (file) or JSON ({"image": base64})`, { field: 'body' });
}

/** Whether an error is fastify's refusal of a body over the route's limit. */
export function bodyTooLarge(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
}

export { tooLarge };
