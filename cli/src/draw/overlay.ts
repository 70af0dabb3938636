// What each task's result looks like drawn over the image: face boxes and keypoints, the face mesh
// tesselation and contours, iris circles and gaze arrows, hand skeletons with handedness and
// gesture, the pose skeleton with joint angles. (The segmentation mask is a raster; see render.ts.)
import type {
  DetectFacesResponse, FaceIris, FaceMeshResult, Hand, Landmark, PoseResult,
} from '@tabagent/protos/v1/vision';
import type { VisionResult } from './vision-result.js';
import { FACEMESH_CONTOURS, FACEMESH_IRISES, HAND_CONNECTIONS, POSE_CONNECTIONS, tesselationEdges } from './connections.js';
import { Svg } from './svg.js';

/** Joint-angle names of the pose result → the landmark the angle is at (BlazePose's 33-point topology). */
export const JOINT_LANDMARKS: Readonly<Record<string, number>> = Object.freeze({
  left_shoulder: 11, right_shoulder: 12, left_elbow: 13, right_elbow: 14, left_wrist: 15, right_wrist: 16,
  left_hip: 23, right_hip: 24, left_knee: 25, right_knee: 26, left_ankle: 27, right_ankle: 28,
});

const TESSELATION = tesselationEdges();
const COLORS = { box: '#00e5ff', mesh: '#c0c0c0', contour: '#30ff30', iris: '#ff3030', gaze: '#ffd000', left: '#ff9a1f', right: '#2fa8ff', pose: '#ffffff', text: '#ffffff' };

/** The SVG overlay of a result on a width × height image. */
export function overlaySvg(r: VisionResult, width: number, height: number): string {
  const svg = new Svg(width, height);
  switch (r.task) {
    case 'faces': drawFaces(svg, r.res); break;
    case 'mesh': for (const f of r.res.faces) drawMesh(svg, f); break;
    case 'iris': for (const f of r.res.faces) drawIris(svg, f); break;
    case 'hands': for (const h of r.res.hands) drawHand(svg, h); break;
    case 'pose': for (const p of r.res.poses) drawPose(svg, p); break;
    case 'holistic':
      if (r.res.pose) drawPose(svg, r.res.pose, false);
      if (r.res.face) drawMesh(svg, r.res.face);
      if (r.res.leftHand) drawHand(svg, r.res.leftHand);
      if (r.res.rightHand) drawHand(svg, r.res.rightHand);
      break;
    case 'segment': break;
  }
  return svg.toString();
}

function drawFaces(svg: Svg, res: DetectFacesResponse): void {
  const u = svg.unit;
  for (const face of res.faces) {
    const b = face.box;
    if (b) {
      svg.rect(b.xMin * svg.width, b.yMin * svg.height, b.width * svg.width, b.height * svg.height, COLORS.box, 2 * u);
      svg.label({ x: b.xMin * svg.width, y: b.yMin * svg.height - 4 * u }, `face ${(face.score * 100).toFixed(0)}%`, COLORS.box, 14 * u);
    }
    svg.dots(face.keypoints.map((k) => svg.px(k)), 3 * u, COLORS.contour);
  }
}

function drawMesh(svg: Svg, face: FaceMeshResult): void {
  const u = svg.unit;
  const pts = face.landmarks.map((l) => svg.px(l));
  svg.connections(pts, TESSELATION, COLORS.mesh, 0.6 * u, 0.8);
  svg.connections(pts, FACEMESH_CONTOURS, COLORS.contour, 1.5 * u);
  if (pts.length > 468) svg.connections(pts, FACEMESH_IRISES, COLORS.iris, 1.5 * u);
}

function drawIris(svg: Svg, face: FaceIris): void {
  const u = svg.unit;
  for (const eye of [face.leftEye, face.rightEye]) {
    if (!eye) continue;
    const centre = eye.iris[0];
    if (!centre) continue;
    const c = svg.px(centre);
    svg.connections(eye.contour.slice(0, 16).map((l) => svg.px(l)), Array.from({ length: 15 }, (_, i) => [i, i + 1] as const), COLORS.contour, 1 * u);
    svg.circle(c, (eye.irisDiameter * svg.width) / 2, COLORS.iris, 1.5 * u);
    svg.dots([c], 1.5 * u, COLORS.iris);
    const g = eye.gaze ?? face.gaze;
    if (g) {
      const len = eye.irisDiameter * svg.width * 3;
      const to = { x: c.x + Math.sin((g.yawDegrees * Math.PI) / 180) * len, y: c.y - Math.sin((g.pitchDegrees * Math.PI) / 180) * len };
      svg.arrow(c, to, COLORS.gaze, 1.5 * u);
    }
  }
  if (face.gaze && face.face?.detection?.box) {
    const b = face.face.detection.box;
    svg.label({ x: b.xMin * svg.width, y: (b.yMin + b.height) * svg.height + 18 * u },
      `gaze yaw ${face.gaze.yawDegrees.toFixed(0)}° pitch ${face.gaze.pitchDegrees.toFixed(0)}°`, COLORS.gaze, 14 * u);
  }
}

function drawHand(svg: Svg, hand: Hand): void {
  const u = svg.unit;
  const left = hand.handedness?.name === 'Left';
  const color = left ? COLORS.left : COLORS.right;
  const pts = hand.landmarks.map((l) => svg.px(l));
  svg.connections(pts, HAND_CONNECTIONS, color, 2.5 * u);
  svg.dots(pts, 3 * u, '#ffffff');
  const top = pts.reduce((a, p) => (p.y < a.y ? p : a), pts[0] ?? { x: 0, y: 0 });
  const gesture = hand.gesture?.name && hand.gesture.name !== 'None' ? ` ${hand.gesture.name}` : '';
  svg.label({ x: top.x - 30 * u, y: top.y - 10 * u }, `${hand.handedness?.name ?? '?'}${gesture}`, color, 16 * u);
}

function drawPose(svg: Svg, pose: PoseResult, angles = true): void {
  const u = svg.unit;
  const visible = (l: Landmark): boolean => (l.visibility ?? 1) >= 0.5;
  const pts = pose.landmarks.map((l) => svg.px(l));
  const sparse = pts.map((p, i) => (visible(pose.landmarks[i]!) ? p : undefined));
  svg.connections(sparse, POSE_CONNECTIONS, COLORS.pose, 3 * u);
  svg.dots(sparse.filter((p) => p !== undefined), 4 * u, '#ff4060');
  if (!angles) return;
  for (const [name, deg] of Object.entries(pose.jointAngles)) {
    const i = JOINT_LANDMARKS[name];
    const p = i === undefined ? undefined : sparse[i];
    if (p) svg.label({ x: p.x + 8 * u, y: p.y - 6 * u }, `${deg.toFixed(0)}°`, COLORS.gaze, 14 * u);
  }
}
