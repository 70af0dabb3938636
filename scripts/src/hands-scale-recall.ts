// Hand detection recall on the large-hand set (crops of the shared hand photos scaled up to fill
// 1920×1280 and 1280×1280 frames, on dark and light backgrounds, rotated 0/90/180/270/±30°), with
// the in-process HandPipeline (palm detector + full landmark model). Also the shared photos as given.
//   node scripts/dist/hands-scale-recall.js [--verbose] [--save DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HandPipeline, type HandResult } from '../../ml-service/dist/vision/hands/hand-pipeline.js';
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
const pipeline = new HandPipeline({ palm: palm.session, landmarks: landmarks.session });
if (saveDir !== undefined) mkdirSync(saveDir, { recursive: true });

// The shared photos as given: how many hands each shows.
for (const image of [...new Set(LARGE_HAND_SOURCES.map((s) => s.image))]) {
  const hands = await pipeline.detect({ encoded: new Uint8Array(readFileSync(testImagePath(image))) });
  console.log(`${image} as given: ${hands.length} hand(s) ${hands.map((h) => `${h.handedness.label}/${h.gesture?.name ?? '-'}`).join(' ')}`);
}

const scores: LargeHandScore[] = [];
const started = performance.now();
let runMs = 0;
for (const spec of largeHandSpecs()) {
  const c = await makeLargeHandCase(spec);
  if (saveDir !== undefined) writeFileSync(join(saveDir, `${c.name.replace(/[@/°]/g, '_')}.jpg`), c.encoded);
  const t0 = performance.now();
  const hands = await pipeline.detect({ encoded: c.encoded });
  runMs += performance.now() - t0;
  const s = scoreLargeHand(c, scored(hands));
  scores.push(s);
  if (verbose || !s.found) {
    console.log(`  ${s.found ? 'found' : 'MISSED'} ${s.name}: ${hands.length} hand(s), handedness ${s.handedness ?? '-'}, gesture ${s.gesture ?? '-'}`);
  }
}
await pipeline.dispose();

console.log(formatSummary('large-hand set, all', summarize(scores)));
const groups: Record<string, (s: LargeHandScore) => string> = {
  source: (s) => s.name.split('@')[0]!,
  frame: (s) => s.name.split('@')[1]!.split('/')[0]!,
  background: (s) => s.name.split('/')[1]!,
  rotation: (s) => s.name.split('/')[2]!,
};
for (const [group, key] of Object.entries(groups)) {
  for (const value of [...new Set(scores.map(key))]) {
    console.log(formatSummary(`  ${group} ${value}`, summarize(scores.filter((s) => key(s) === value))));
  }
}
console.log(`${scores.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s (pipeline ${(runMs / scores.length).toFixed(0)} ms per frame incl. decode)`);
