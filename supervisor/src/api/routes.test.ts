// The routes read the task table's field numbers from real encoded requests: a wrong number in the
// table would route to default models instead of the one asked for, and these tests would fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_IDS, VISION_TASKS } from '@tabagent/common';
import {
  DetectFacesRequest, FaceMeshRequest, HandsRequest, HolisticRequest, IrisRequest, PoseModel, PoseRequest, SegmentRequest, TrackRequest, TrackTask,
} from '@tabagent/protos/v1/vision';
import { routeText, routeTrack, routeVision } from './routes.js';

const frame = { data: Buffer.from([1, 2, 3]), width: 1, height: 1 };

describe('routeVision', () => {
  it('puts the request model in the task role and fills the others with defaults', () => {
    assert.deepEqual(routeVision('DetectFaces', DetectFacesRequest.encode(DetectFacesRequest.fromPartial({ frame, model: 'my/face' })).finish()), { detector: 'my/face' });
    assert.deepEqual(routeVision('FaceMesh', FaceMeshRequest.encode(FaceMeshRequest.fromPartial({ frame, model: 'my/mesh' })).finish()),
      { detector: MODEL_IDS.faceDetector, landmarks: 'my/mesh' });
    assert.deepEqual(routeVision('Iris', IrisRequest.encode(IrisRequest.fromPartial({ frame, model: 'my/iris' })).finish()),
      { detector: MODEL_IDS.faceDetector, landmarks: MODEL_IDS.faceMesh, iris: 'my/iris' });
    assert.deepEqual(routeVision('Segment', SegmentRequest.encode(SegmentRequest.fromPartial({ frame, model: 'my/seg' })).finish()), { segmenter: 'my/seg' });
  });

  it('chooses default models from the options', () => {
    const mesh = FaceMeshRequest.encode(FaceMeshRequest.fromPartial({ frame, options: { refineLandmarks: true } })).finish();
    assert.equal(routeVision('FaceMesh', mesh)['landmarks'], MODEL_IDS.faceMeshAttention);
    const hands = HandsRequest.encode(HandsRequest.fromPartial({ frame, options: { lite: true } })).finish();
    assert.deepEqual(routeVision('Hands', hands), { detector: MODEL_IDS.palm, landmarks: MODEL_IDS.handLite });
    const pose = PoseRequest.encode(PoseRequest.fromPartial({ frame, options: { complexity: PoseModel.POSE_MODEL_HEAVY } })).finish();
    assert.deepEqual(routeVision('Pose', pose), { detector: MODEL_IDS.poseDetector, landmarks: MODEL_IDS.poseHeavy });
    const holistic = HolisticRequest.encode(HolisticRequest.fromPartial({ frame, options: { complexity: PoseModel.POSE_MODEL_LITE, refineFaceLandmarks: true } })).finish();
    assert.deepEqual(routeVision('Holistic', holistic),
      { detector: MODEL_IDS.poseDetector, landmarks: MODEL_IDS.poseLite, face: MODEL_IDS.faceMeshAttention, hand: MODEL_IDS.handFull });
    const seg = SegmentRequest.encode(SegmentRequest.fromPartial({ frame, options: { landscape: true } })).finish();
    assert.deepEqual(routeVision('Segment', seg), { segmenter: MODEL_IDS.selfieLandscape });
    assert.deepEqual(routeVision('Pose', PoseRequest.encode(PoseRequest.fromPartial({ frame })).finish())['landmarks'], MODEL_IDS.poseFull);
  });

  it('routes nothing for a method outside the table', () => {
    assert.deepEqual(routeVision('Track', Buffer.alloc(0)), {});
    assert.deepEqual(routeVision('NoSuchMethod', Buffer.alloc(0)), {});
  });
});

describe('routeTrack', () => {
  it('reads the task, model and options of the first message', () => {
    assert.deepEqual(routeTrack(TrackRequest.fromPartial({ task: TrackTask.TRACK_TASK_HANDS, options: { hands: { lite: true } } })),
      { detector: MODEL_IDS.palm, landmarks: MODEL_IDS.handLite });
    assert.deepEqual(routeTrack(TrackRequest.fromPartial({ task: TrackTask.TRACK_TASK_FACE_MESH, model: 'my/mesh' })),
      { detector: MODEL_IDS.faceDetector, landmarks: 'my/mesh' });
    assert.deepEqual(routeTrack(TrackRequest.fromPartial({ task: TrackTask.TRACK_TASK_HOLISTIC, options: { pose: { complexity: PoseModel.POSE_MODEL_HEAVY } } })),
      { detector: MODEL_IDS.poseDetector, landmarks: MODEL_IDS.poseHeavy, face: MODEL_IDS.faceMesh, hand: MODEL_IDS.handFull });
    assert.deepEqual(routeTrack(TrackRequest.fromPartial({})), { detector: MODEL_IDS.faceDetector });
  });

  it('covers every task of the table', () => {
    for (const task of Object.values(VISION_TASKS)) {
      const roles = routeTrack(TrackRequest.fromPartial({ task: task.track }));
      assert.deepEqual(Object.keys(roles).sort(), Object.keys(task.roles).sort(), task.method);
    }
  });
});

describe('routeText', () => {
  it('uses the request model, else the default for Embed and Transcribe', () => {
    const withModel = Buffer.concat([Buffer.from([0x0a, 4]), Buffer.from('m/id')]);
    assert.deepEqual(routeText('Generate', withModel), { model: 'm/id' });
    assert.deepEqual(routeText('Embed', Buffer.alloc(0)), { model: MODEL_IDS.embeddings });
    assert.deepEqual(routeText('Transcribe', Buffer.alloc(0)), { model: MODEL_IDS.speech });
    assert.deepEqual(routeText('Generate', Buffer.alloc(0)), { model: '' });
  });
});
