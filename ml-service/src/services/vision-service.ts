// The Vision gRPC service of the child: single-frame methods on pooled pipelines and the Track
// stream. Capabilities whose pipelines are not in this build answer UNIMPLEMENTED naming the method.
import type { ServerDuplexStream, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { unary, type Logger } from '@tabagent/common';
import {
  VisionService,
  type DetectFacesRequest, type DetectFacesResponse, type DetectObjectsRequest, type DetectObjectsResponse, type FaceMeshRequest, type FaceMeshResponse, type HandsRequest, type HandsResponse,
  type HolisticRequest, type HolisticResponse, type IrisRequest, type IrisResponse, type PoseRequest, type PoseResponse, type SegmentRequest, type SegmentResponse,
  type TrackRequest, type TrackResponse,
} from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../runtime/loaded-models.js';
import { bodyMethods } from './vision/body-methods.js';
import { faceMethods } from './vision/face-methods.js';
import { holisticMethod } from './vision/holistic.js';
import { objectMethods } from './vision/object-methods.js';
import { serveTrack } from './vision/track/track-stream.js';
import { withUnimplemented } from './unimplemented.js';

/** Builds the Vision service implementation. */
export function visionService(loadedModels: LoadedModels, log: Logger): UntypedServiceImplementation {
  const face = faceMethods(loadedModels);
  const body = bodyMethods(loadedModels);
  const holistic = holisticMethod(loadedModels, log);
  const objects = objectMethods(loadedModels);
  const impl: UntypedServiceImplementation = {
    detectFaces: unary((req: DetectFacesRequest, call: ServerUnaryCall<DetectFacesRequest, DetectFacesResponse>) => face.detectFaces(req, call.metadata)),
    faceMesh: unary((req: FaceMeshRequest, call: ServerUnaryCall<FaceMeshRequest, FaceMeshResponse>) => face.faceMesh(req, call.metadata)),
    iris: unary((req: IrisRequest, call: ServerUnaryCall<IrisRequest, IrisResponse>) => face.iris(req, call.metadata)),
    hands: unary((req: HandsRequest, call: ServerUnaryCall<HandsRequest, HandsResponse>) => body.hands(req, call.metadata)),
    pose: unary((req: PoseRequest, call: ServerUnaryCall<PoseRequest, PoseResponse>) => body.pose(req, call.metadata)),
    holistic: unary((req: HolisticRequest, call: ServerUnaryCall<HolisticRequest, HolisticResponse>) => holistic(req, call.metadata)),
    segment: unary((req: SegmentRequest, call: ServerUnaryCall<SegmentRequest, SegmentResponse>) => body.segment(req, call.metadata)),
    detectObjects: unary((req: DetectObjectsRequest, call: ServerUnaryCall<DetectObjectsRequest, DetectObjectsResponse>) => objects.detectObjects(req, call.metadata)),
    track: (call: ServerDuplexStream<TrackRequest, TrackResponse>) => serveTrack(call, loadedModels, log),
  };
  return withUnimplemented(VisionService, 'tabagent.v1.Vision', impl);
}
