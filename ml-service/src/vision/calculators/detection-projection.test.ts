// Detection projection from a region back to the image: zoomed-out, shifted and rotated regions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Detection } from '../types.js';
import { projectDetections, projectPoint } from './detection-projection.js';

const near = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

describe('detection projection', () => {
  it('a region twice the image, centred: region centre stays, region corners land outside the image', () => {
    const rect = { xCenter: 0.5, yCenter: 0.5, width: 2, height: 2, rotation: 0 };
    const d: Detection = { box: { xmin: 0.25, ymin: 0.25, width: 0.5, height: 0.5 }, score: 0.9, classId: 0, keypoints: [{ x: 0.5, y: 0.5 }, { x: 0, y: 1 }] };
    const [p] = projectDetections([d], rect, 1.5);
    assert.deepEqual(p!.box, { xmin: 0, ymin: 0, width: 1, height: 1 });
    assert.deepEqual(p!.keypoints, [{ x: 0.5, y: 0.5 }, { x: -0.5, y: 1.5 }]);
    assert.equal(p!.score, 0.9);
  });

  it('a shifted region maps its own corners to the region corners in the image', () => {
    const rect = { xCenter: 0.3, yCenter: 0.6, width: 0.2, height: 0.4, rotation: 0 };
    const tl = projectPoint({ x: 0, y: 0 }, rect, 0.75);
    near(tl.x, 0.2, 'x');
    near(tl.y, 0.4, 'y');
  });

  it('rotation is applied in pixels: a quarter turn on a 2:1 image', () => {
    // Image 200×100 (aspect 0.5); a 40×40 px region at the centre turned 90° clockwise.
    const rect = { xCenter: 0.5, yCenter: 0.5, width: 0.2, height: 0.4, rotation: Math.PI / 2 };
    // The region's right-edge midpoint goes to the bottom: 20 px below the centre.
    const p = projectPoint({ x: 1, y: 0.5 }, rect, 0.5);
    near(p.x, 0.5, 'x');
    near(p.y, 0.7, 'y');
    const [d] = projectDetections([{ box: { xmin: 0.5, ymin: 0, width: 0.5, height: 0.5 }, score: 1, classId: 0, keypoints: [] }], rect, 0.5);
    // Region quadrant top-right (x 0.5..1, y 0..0.5) turns into the bottom-right quadrant.
    near(d!.box.xmin, 0.5, 'xmin');
    near(d!.box.ymin, 0.5, 'ymin');
    near(d!.box.width, 0.1, 'width');
    near(d!.box.height, 0.2, 'height');
  });
});
