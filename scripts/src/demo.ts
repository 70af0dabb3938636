// `npm run demo`: starts tabagent-server, and with the `tabagent` CLI writes annotated pictures of
// the shared photos (portrait: face mesh, iris, faces, segmentation; left_hands: hands; pose: pose)
// and a short annotated MP4 of a shared video into demo/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchServer } from './bench-support/server.js';
import { repoRoot, sharedDir } from './bench-support/paths.js';

const cli = join(repoRoot, 'cli', 'dist', 'main.js');
const out = join(repoRoot, 'demo');
mkdirSync(out, { recursive: true });
const images = join(sharedDir(), 'testdata', 'images');
const server = await startBenchServer(['--keep-alive', '-1']);
const runs: [string, string[]][] = [
  ['portrait-mesh.png', ['vision', 'mesh', join(images, 'portrait.jpg')]],
  ['portrait-iris.png', ['vision', 'iris', join(images, 'portrait.jpg')]],
  ['portrait-faces.png', ['vision', 'faces', join(images, 'portrait.jpg')]],
  ['portrait-segment.png', ['vision', 'segment', join(images, 'portrait.jpg')]],
  ['left_hands-hands.png', ['vision', 'hands', join(images, 'left_hands.jpg')]],
  ['pose-pose.png', ['vision', 'pose', join(images, 'pose.jpg')]],
  ['hand_reach-hands.mp4', ['vision', 'hands', '--video', join(sharedDir(), 'testdata', 'video', 'hand_reach_open_palm.mp4'), '--fps', '10']],
];
let failed = 0;
try {
  for (const [file, args] of runs) {
    const r = spawnSync(process.execPath, [cli, '--server', server.address, ...args, '--out', join(out, file)], { encoding: 'utf8' });
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} demo/${file}  ${r.status === 0 ? last : r.stderr.trim()}`);
    if (r.status !== 0) failed++;
  }
} finally {
  await server.stop();
}
process.exitCode = failed ? 1 : 0;
