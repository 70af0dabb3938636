// What the drawing code draws: any Vision response, tagged with its task.
import type {
  DetectFacesResponse, FaceMeshResponse, HandsResponse, HolisticResponse, IrisResponse, PoseResponse, SegmentResponse,
} from '@tabagent/protos/v1/vision';

/** Any Vision response. */
export type VisionResult =
  | { task: 'faces'; res: DetectFacesResponse } | { task: 'mesh'; res: FaceMeshResponse } | { task: 'iris'; res: IrisResponse }
  | { task: 'hands'; res: HandsResponse } | { task: 'pose'; res: PoseResponse } | { task: 'holistic'; res: HolisticResponse }
  | { task: 'segment'; res: SegmentResponse };
