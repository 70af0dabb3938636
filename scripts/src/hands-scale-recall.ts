// Hand detection recall on the large-hand set (crops of the shared hand photos scaled up to fill
// 1920×1280 and 1280×1280 frames, on dark and light backgrounds, rotated 0/90/180/270/±30°), with
// the in-process HandPipeline (palm detector + full landmark model), side by side: palm detection on
// the image only (scales [1], as before zoomed-out passes existed) and at the default PALM_SCALES.
// Also the shared photos as given.
//   node scripts/dist/hands-scale-recall.js [--verbose] [--save DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HandPipeline, type HandResult } from '../../ml-service/dist/vision/hands/hand-pipeline.js';
import { PALM_SCALES } from '../../ml-service/dist/vision/hands/palm-detector.js';
import { loadBodyTestModel } from '../../ml-service/dist/vision/testing/body-models.js';
import { largeHandSpecs, makeLargeHandCase, LARGE_HAND_SOURCES } from '../../ml-service/dist/vision/testing/large-hands.js';
import {
  formatSummary, scoreLargeHand, summarize, type LargeHandScore, type ScoredHand,
} from '../../ml-service/dist/vision/testing/large-hands-score.js';
import { testImagePath } from '../../ml-service/dist/vision/testing/paths.js';

const verbose = process.argv.includes('--verbose');
const saveAt = process.argv.indexOf('--save');
const saveDir = saveAt > 0 ? process.argv[saveAt + 1] : undefined;

function scored(hands: readonly HandResult[]): ScoredHand[] {
  return hands.map((h) => ({ landmarks: h.landmarks, handedness: h.handedness.label, gesture: h.gesture?.name }));
}

const [palm, landmarks] = await Promise.all([loadBodyTestModel('handdetect'), loadBodyTestModel('handlandmark-full')]);
const configs = [
  { label: 'image only, scales [1]', pipeline: new HandPipeline({ palm: palm.session, landmarks: landmarks.session }, { ownsSessions: false, palmScales: [1] }) },
  { label: `default, scales [${PALM_SCALES.join(', ')}]`, pipeline: new HandPipeline({ palm: palm.session, landmarks: landmarks.session }, { ownsSessions: false }) },
];
if (saveDir !== undefined) mkdirSync(saveDir, { recursive: true });

// The shared photos as given: how many hands each shows.
for (const image of [...new Set(LARGE_HAND_SOURCES.map((s) => s.image))]) {
  const encoded = new Uint8Array(readFileSync(testImagePath(image)));
  const seen = [];
  for (const { pipeline } of configs) {
    const hands = await pipeline.detect({ encoded });
    seen.push(`${hands.length} hand(s) ${hands.map((h) => `${h.handedness.label}/${h.gesture?.name ?? '-'}`).join(' ')}`);
  }
  console.log(`${image} as given: ${seen.join(' | ')}`);
}

const scores: LargeHandScore[][] = configs.map(() => []);
const runMs = configs.map(() => 0);
const started = performance.now();
for (const spec of largeHandSpecs()) {
  const c = await makeLargeHandCase(spec);
  if (saveDir !== undefined) writeFileSync(join(saveDir, `${c.name.replace(/[@/°]/g, '_')}.jpg`), c.encoded);
  const line: string[] = [];
  for (const [i, { pipeline }] of configs.entries()) {
    const t0 = performance.now();
    const hands = await pipeline.detect({ encoded: c.encoded });
    runMs[i]! += performance.now() - t0;
    const s = scoreLargeHand(c, scored(hands));
    scores[i]!.push(s);
    line.push(s.found ? `found ${s.handedness ?? '-'}/${s.gesture ?? '-'}` : `MISSED (${hands.length} elsewhere)`);
  }
  if (verbose || scores.some((list) => list.at(-1)?.found !== true)) console.log(`  ${c.name}: ${line.join(' | ')}`);
}
for (const { pipeline } of configs) await pipeline.dispose();
await Promise.all([palm.session.release(), landmarks.session.release()]);

const groups: Record<string, (s: LargeHandScore) => string> = {
  source: (s) => s.name.split('@')[0]!,
  frame: (s) => s.name.split('@')[1]!.split('/')[0]!,
  background: (s) => s.name.split('/')[1]!,
  rotation: (s) => s.name.split('/')[2]!,
};
for (const [i, { label }] of configs.entries()) {
  const list = scores[i]!;
  console.log(formatSummary(`${label}: large-hand set, all`, summarize(list)));
  for (const [group, key] of Object.entries(groups)) {
    for (const value of [...new Set(list.map(key))]) {
      console.log(formatSummary(`  ${group} ${value}`, summarize(list.filter((s) => key(s) === value))));
    }
  }
  console.log(`  pipeline ${(runMs[i]! / list.length).toFixed(0)} ms per frame incl. decode (noisy on a shared machine)`);
}
console.log(`${scores[0]!.length} cases × ${configs.length} configurations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
