// The gesture table: which finger states make each of MediaPipe's canned gestures.
// Rows are checked in order; a row's score is the weakest of its conditions (fuzzy AND).

/** MediaPipe's canned gesture names. */
export const GESTURE_NAMES = [
  'None',
  'Closed_Fist',
  'Open_Palm',
  'Pointing_Up',
  'Thumb_Down',
  'Thumb_Up',
  'Victory',
  'ILoveYou',
] as const;
export type GestureName = (typeof GESTURE_NAMES)[number];

/** State a long finger (index..pinky) must be in; `any` places no condition. */
export type FingerRequirement = 'extended' | 'curled' | 'any';

/**
 * State the thumb must be in:
 * - `up` / `down`: thumb held away from the fist (tip clear of the fingers, or straight and far
 *   from the index base) and pointing up / down in the image,
 * - `out`: thumb held away from the hand in any direction,
 * - `tucked`: thumb not clearly pointing up or down past the fist (folded over or alongside),
 * - `any`: no condition.
 */
export type ThumbRequirement = 'up' | 'down' | 'out' | 'tucked' | 'any';

export interface GestureRule {
  readonly name: Exclude<GestureName, 'None'>;
  readonly thumb: ThumbRequirement;
  readonly index: FingerRequirement;
  readonly middle: FingerRequirement;
  readonly ring: FingerRequirement;
  readonly pinky: FingerRequirement;
  /** When true the index finger must point up in the image. */
  readonly indexUp?: boolean;
}

/**
 * | gesture     | thumb  | index | middle | ring  | pinky | other     |
 * |-------------|--------|-------|--------|-------|-------|-----------|
 * | Thumb_Up    | up     | curl  | curl   | curl  | curl  |           |
 * | Thumb_Down  | down   | curl  | curl   | curl  | curl  |           |
 * | Closed_Fist | tucked | curl  | curl   | curl  | curl  |           |
 * | Pointing_Up | any    | ext   | curl   | curl  | curl  | index up  |
 * | Victory     | any    | ext   | ext    | curl  | curl  |           |
 * | ILoveYou    | out    | ext   | curl   | curl  | ext   |           |
 * | Open_Palm   | any    | ext   | ext    | ext   | ext   |           |
 */
export const GESTURE_TABLE: readonly GestureRule[] = [
  { name: 'Thumb_Up', thumb: 'up', index: 'curled', middle: 'curled', ring: 'curled', pinky: 'curled' },
  { name: 'Thumb_Down', thumb: 'down', index: 'curled', middle: 'curled', ring: 'curled', pinky: 'curled' },
  { name: 'Closed_Fist', thumb: 'tucked', index: 'curled', middle: 'curled', ring: 'curled', pinky: 'curled' },
  {
    name: 'Pointing_Up',
    thumb: 'any',
    index: 'extended',
    middle: 'curled',
    ring: 'curled',
    pinky: 'curled',
    indexUp: true,
  },
  { name: 'Victory', thumb: 'any', index: 'extended', middle: 'extended', ring: 'curled', pinky: 'curled' },
  { name: 'ILoveYou', thumb: 'out', index: 'extended', middle: 'curled', ring: 'curled', pinky: 'extended' },
  { name: 'Open_Palm', thumb: 'any', index: 'extended', middle: 'extended', ring: 'extended', pinky: 'extended' },
];
