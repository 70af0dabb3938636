// Stable ids for boxes detected on every frame of a stream: a box that overlaps one of the previous
// frame's boxes keeps its id (greedy, best overlap first); the others get new ids.
import type { BoundingBox } from '../../../vision/types.js';

/** Intersection over union of two normalized boxes, measured in pixels of a width × height image. */
export function boxIou(a: BoundingBox, b: BoundingBox, width = 1, height = 1): number {
  const ix = Math.max(0, Math.min(a.xmin + a.width, b.xmin + b.width) - Math.max(a.xmin, b.xmin)) * width;
  const iy = Math.max(0, Math.min(a.ymin + a.height, b.ymin + b.height) - Math.max(a.ymin, b.ymin)) * height;
  const inter = ix * iy;
  const union = a.width * a.height * width * height + b.width * b.height * width * height - inter;
  return union > 0 ? inter / union : 0;
}

/** Assigns ids to each frame's boxes. One instance per stream and task. */
export class BoxIds {
  #previous: { id: number; box: BoundingBox }[] = [];
  #next = 1;

  constructor(private readonly minIou = 0.3) {}

  /** Ids for `boxes`, in the same order. */
  assign(boxes: readonly BoundingBox[], width = 1, height = 1): number[] {
    const pairs: { i: number; p: number; iou: number }[] = [];
    boxes.forEach((box, i) => {
      this.#previous.forEach((prev, p) => {
        const iou = boxIou(box, prev.box, width, height);
        if (iou >= this.minIou) pairs.push({ i, p, iou });
      });
    });
    pairs.sort((a, b) => b.iou - a.iou);
    const ids = new Array<number>(boxes.length).fill(0);
    const usedPrev = new Set<number>();
    for (const { i, p } of pairs) {
      if (ids[i] !== 0 || usedPrev.has(p)) continue;
      ids[i] = this.#previous[p]!.id;
      usedPrev.add(p);
    }
    for (let i = 0; i < ids.length; i++) if (ids[i] === 0) ids[i] = this.#next++;
    this.#previous = boxes.map((box, i) => ({ id: ids[i]!, box }));
    return ids;
  }

  /** Forgets the previous frame (ids keep increasing). */
  reset(): void {
    this.#previous = [];
  }
}
