// Helpers of the Vision end-to-end tests: typed unary calls built from partial requests, model
// preloading, a promise-based Track stream, raw frames cut from test images, and mask IoU.
import type { ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import {
  DetectFacesRequest, DetectObjectsRequest, FaceMeshRequest, HandsRequest, HolisticRequest, IrisRequest, PoseRequest, SegmentRequest, TrackRequest, PixelFormat,
  type DeepPartial, type DetectFacesResponse, type DetectObjectsResponse, type FaceMeshResponse, type Frame, type HandsResponse, type HolisticResponse, type IrisResponse, type PoseResponse,
  type SegmentResponse, type TrackResponse,
} from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import { call, type PublicClients } from '../support/clients.js';
import { testImage } from '../support/paths.js';

const REQUESTS = {
  detectFaces: DetectFacesRequest, faceMesh: FaceMeshRequest, iris: IrisRequest, hands: HandsRequest, pose: PoseRequest, segment: SegmentRequest,
  detectObjects: DetectObjectsRequest,
} as const;
type Method = keyof typeof REQUESTS;
type RequestOf<M extends Method> = ReturnType<(typeof REQUESTS)[M]['fromPartial']>;
interface Responses {
  detectFaces: DetectFacesResponse; faceMesh: FaceMeshResponse; iris: IrisResponse; hands: HandsResponse; pose: PoseResponse; segment: SegmentResponse;
  detectObjects: DetectObjectsResponse;
}
type ResponseOf<M extends Method> = Responses[M];

/** Calls a unary Vision method with a partial request. */
export function vision<M extends Method>(c: PublicClients, method: M, req: DeepPartial<RequestOf<M>>): Promise<ResponseOf<M>> {
  const full = (REQUESTS[method] as { fromPartial(o: unknown): unknown }).fromPartial(req);
  const fn = c.vision[method] as unknown as Parameters<typeof call>[1];
  return call(c.vision, fn, full) as Promise<ResponseOf<M>>;
}

/** Calls Holistic with a partial request. */
export function visionHolistic(c: PublicClients, req: DeepPartial<HolisticRequest>): Promise<HolisticResponse> {
  const fn = c.vision.holistic as unknown as Parameters<typeof call>[1];
  return call(c.vision, fn, HolisticRequest.fromPartial(req)) as Promise<HolisticResponse>;
}

/** Loads models on the child up front (pulling them on first use), kept loaded for the test run. */
export async function preload(c: PublicClients, ids: readonly string[]): Promise<void> {
  for (const model of ids) {
    await call(c.models, c.models.loadModel, { model, options: { devices: [], threads: 0, keepAliveSeconds: -1 } }, { timeoutMs: 180_000 });
  }
}

/** An encoded test image as a Frame. */
export function encodedFrame(name: string): DeepPartial<Frame> {
  return { encoded: readFileSync(testImage(name)) };
}

/** A test image decoded to packed RGB. */
export async function rgbOf(name: string): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(testImage(name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A raw RGB frame of `name`, region (left, top, width, height) resized to outWidth × outHeight. */
export async function rawCrop(name: string, region: { left: number; top: number; width: number; height: number }, outWidth: number, outHeight: number): Promise<DeepPartial<Frame>> {
  const data = await sharp(testImage(name)).removeAlpha().extract(region).resize(outWidth, outHeight, { fit: 'fill' }).raw().toBuffer();
  return { data, width: outWidth, height: outHeight, format: PixelFormat.PIXEL_FORMAT_RGB };
}

/** Intersection over union of an 8-bit mask with a golden mask PNG (both thresholded at 128). */
export async function maskIou(mask: { data: Uint8Array; width: number; height: number }, goldenPng: string): Promise<number> {
  const { data, info } = await sharp(testImage(goldenPng)).greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== mask.width || info.height !== mask.height) throw new Error(`mask is ${mask.width}×${mask.height}, golden ${info.width}×${info.height}`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < data.length; i++) {
    const a = data[i]! >= 128;
    const b = mask.data[i]! >= 128;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return inter / union;
}

/** A Track stream with awaitable results. */
export interface TrackStream {
  send(req: DeepPartial<TrackRequest>): void;
  /** The next result (rejects when the stream fails or ends first). */
  next(timeoutMs?: number): Promise<TrackResponse>;
  /** Half-closes and collects the remaining results until the server ends the stream. */
  finish(timeoutMs?: number): Promise<TrackResponse[]>;
  /** Resolves with the error that ended the stream. */
  failure(timeoutMs?: number): Promise<ServiceError>;
  cancel(): void;
}

export function openTrack(c: PublicClients): TrackStream {
  const stream: ClientDuplexStream<TrackRequest, TrackResponse> = c.vision.track();
  const queue: TrackResponse[] = [];
  const waiters: Array<(r: TrackResponse | Error) => void> = [];
  let ended: Error | undefined;
  let error: ServiceError | undefined;
  let onEnd: (() => void) | undefined;
  stream.on('data', (r: TrackResponse) => {
    const w = waiters.shift();
    if (w) w(r);
    else queue.push(r);
  });
  const stop = (e: Error): void => {
    ended ??= e;
    for (const w of waiters.splice(0)) w(e);
    onEnd?.();
  };
  stream.on('error', (e: ServiceError) => {
    error = e;
    stop(e);
  });
  stream.on('end', () => stop(new Error('stream ended')));
  const timed = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
    Promise.race([p, new Promise<T>((_r, rej) => setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms).unref())]);
  return {
    send: (req) => stream.write(TrackRequest.fromPartial(req)),
    next: (ms = 60_000) => {
      const r = queue.shift();
      if (r) return Promise.resolve(r);
      if (ended) return Promise.reject(ended);
      return timed(new Promise((resolve, reject) => waiters.push((x) => (x instanceof Error ? reject(x) : resolve(x)))), ms, 'a Track result');
    },
    finish: (ms = 60_000) => {
      stream.end();
      return timed(new Promise((resolve, reject) => {
        const done = (): void => (error ? reject(error) : resolve(queue.splice(0)));
        if (ended) done();
        else onEnd = done;
      }), ms, 'the end of the Track stream');
    },
    failure: (ms = 60_000) => timed(new Promise((resolve, reject) => {
      const done = (): void => (error ? resolve(error) : reject(new Error('stream ended without an error')));
      if (ended) done();
      else onEnd = done;
    }), ms, 'the Track stream to fail'),
    cancel: () => stream.cancel(),
  };
}
