// Reads the shared test images and their `*.expected.json` references (schema testdata-expected/v1).

import { readFileSync } from 'node:fs';
import { testImagePath } from './paths.js';

export interface ExpectedPoint {
  x: number;
  y: number;
  z?: number | null;
}

export interface ExpectedReference {
  task: string;
  producer: string;
  tolerance?: Record<string, number>;
  instances?: {
    name?: string;
    landmarks?: ExpectedPoint[];
    landmarks_by_index?: Record<string, ExpectedPoint>;
    box?: { xmin: number; ymin: number; width: number; height: number };
    /** The box in pixels, when the reference gave pixels (object detection). */
    box_px?: { xmin: number; ymin: number; width: number; height: number };
    keypoints?: ExpectedPoint[];
    /** Class label (object detection, gestures). */
    label?: string;
    score?: number;
  }[];
}

export interface Expected {
  image: string;
  width: number;
  height: number;
  counts: { faces: number | null; hands: number | null; persons: number | null };
  references: ExpectedReference[];
}

export function readExpected(imageName: string): Expected {
  const base = imageName.replace(/\.[a-z]+$/i, '');
  return JSON.parse(readFileSync(testImagePath(`${base}.expected.json`), 'utf8')) as Expected;
}

export function readImageBytes(imageName: string): Uint8Array {
  return new Uint8Array(readFileSync(testImagePath(imageName)));
}

/** The first reference for `task` whose producer mentions `producerPart`; throws when absent. */
export function findReference(expected: Expected, task: string, producerPart: string): ExpectedReference {
  const ref = expected.references.find((r) => r.task === task && r.producer.includes(producerPart));
  if (ref === undefined) throw new Error(`${expected.image}: no ${task} reference from "${producerPart}"`);
  return ref;
}
