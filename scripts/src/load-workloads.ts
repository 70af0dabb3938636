// The workloads of bench:load and soak against one running tabagent-server: the models they use
// (loaded up front), the test photo as a raw frame in the message or in a shared-memory region, and
// the HTTP routes when the server has its HTTP API.
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { benchFrame } from './bench-vision-cases.js';
import { inlineFrames, shmFrames } from './bench-vision-shm.js';
import type { BenchServer } from './bench-support/server.js';
import type { Workload } from './load/types.js';
import { httpChatWorkload, httpEmbedWorkload } from './load/workloads/http.js';
import { embedWorkload, generateWorkload } from './load/workloads/text.js';
import { detectFacesWorkload, trackWorkload } from './load/workloads/vision.js';

export const FACE_MODEL = 'mediapipe/face-detection-short';
export const EMBED_MODEL = 'google/universal-sentence-encoder-lite';
export const TEXT_MODEL = 'karpathy/stories260K';
export const EMBED_DIMENSIONS = 512;
/** The photo every vision call sends, and how many faces it holds. */
const PHOTO = 'portrait.jpg';
const PHOTO_FACES = 1;

/** What the workloads need to know. */
export interface WorkloadSettings {
  /** New tokens per generation. */
  readonly tokens: number;
  /** Deadline of every call (a soak sets it above the hang timeout plus a restart). */
  readonly deadlineMs: number;
  /** The server's --shm-dir. */
  readonly shmDir: string;
}

/** The built workloads by name, and their cleanup. */
export interface WorkloadSet {
  readonly byName: ReadonlyMap<string, Workload>;
  close(): Promise<void>;
}

/** Loads the models `names` need (keep-alive forever, so idle time between levels does not unload them). */
export async function loadModels(address: string, ids: readonly string[]): Promise<void> {
  const models = new ModelManagementClient(address, credentials.createInsecure(), grpcChannelOptions());
  try {
    for (const model of ids) {
      await new Promise<void>((resolve, reject) => models.loadModel({ model, options: { devices: [], threads: 0, keepAliveSeconds: -1 } }, new Metadata(),
        { deadline: new Date(Date.now() + 120_000) }, (err: ServiceError | null) => (err ? reject(err) : resolve())));
    }
  } finally {
    models.close();
  }
}

/** Builds the workloads `names` against `server`. */
export async function buildWorkloads(server: BenchServer, names: readonly string[], s: WorkloadSettings): Promise<WorkloadSet> {
  const wants = (...n: string[]): boolean => n.some((x) => names.includes(x));
  const ids = [
    ...(wants('detect-shm', 'detect-inline', 'track') ? [FACE_MODEL] : []),
    ...(wants('embed', 'http-embed') ? [EMBED_MODEL] : []),
    ...(wants('generate', 'http-chat') ? [TEXT_MODEL] : []),
  ];
  await loadModels(server.address, ids);
  const frame = wants('detect-shm', 'detect-inline', 'track') ? await benchFrame(PHOTO) : undefined;
  // One slot per possible worker, so concurrent writes never share a slot.
  const shm = frame && wants('detect-shm') ? await shmFrames(server.address, s.shmDir, frame, 16) : undefined;
  const inline = frame ? inlineFrames(frame) : undefined;
  const http = (): string => {
    if (server.httpUrl === undefined) throw new Error('the server has no HTTP API');
    return server.httpUrl;
  };
  const all: Workload[] = [];
  for (const n of names) {
    if (n === 'detect-shm') all.push(detectFacesWorkload(n, server.address, shm!.source, PHOTO_FACES, s.deadlineMs));
    else if (n === 'detect-inline') all.push(detectFacesWorkload(n, server.address, inline!, PHOTO_FACES, s.deadlineMs));
    else if (n === 'track') all.push(trackWorkload(server.address, inline!, PHOTO_FACES, s.deadlineMs));
    else if (n === 'embed') all.push(embedWorkload(server.address, EMBED_MODEL, EMBED_DIMENSIONS, s.deadlineMs));
    else if (n === 'generate') all.push(generateWorkload(server.address, TEXT_MODEL, s.tokens, s.deadlineMs));
    else if (n === 'http-chat') all.push(httpChatWorkload(http(), TEXT_MODEL, s.tokens, s.deadlineMs));
    else if (n === 'http-embed') all.push(httpEmbedWorkload(http(), EMBED_MODEL, EMBED_DIMENSIONS, s.deadlineMs));
    else throw new Error(`unknown workload "${n}"`);
  }
  return {
    byName: new Map(all.map((w) => [w.name, w])),
    close: async () => {
      await Promise.all(all.map((w) => w.close()));
      await shm?.close();
    },
  };
}
